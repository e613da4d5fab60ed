package org.hotline.client.ui.facilitator;

/**
 * One message in the facilitator's traffic feed: a participants' message on a channel control
 * observes, or a question addressed to control.
 *
 * @param id          the message id (hex), to acknowledge it
 * @param toControl   addressed to control (a request for information), so control can acknowledge it
 */
public record TrafficItem(String id, String time, String from, String channel, String text, boolean toControl,
                          boolean acknowledged) {

    public TrafficItem withAcknowledged() {
        return new TrafficItem(id, time, from, channel, text, toControl, true);
    }
}
