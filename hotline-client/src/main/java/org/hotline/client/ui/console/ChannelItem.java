package org.hotline.client.ui.console;

/** A channel in the left column: "Leaders — Pakistan Prime Minister" and how many messages are unread. */
public record ChannelItem(String channelId, String label, String peerRole, int unread) {

    public String display() {
        return unread == 0 ? label : label + "  (" + unread + " new)";
    }

    ChannelItem withUnread(int n) {
        return new ChannelItem(channelId, label, peerRole, n);
    }
}
