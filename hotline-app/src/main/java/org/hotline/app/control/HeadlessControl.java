package org.hotline.app.control;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hotline.app.cli.ExitCodes;
import org.hotline.client.control.ControlClock;
import org.hotline.client.control.MselPlayer;
import org.hotline.client.core.ClientListener;
import org.hotline.client.core.DeliveryState;
import org.hotline.client.core.HotlineClient;
import org.hotline.protocol.audit.DisplayText;
import org.hotline.protocol.exercise.msel.MselInject;
import org.hotline.protocol.text.DisplaySafe;
import org.hotline.protocol.wire.MessageId;

/**
 * {@code hotline control --headless}: starts (or resumes) the exercise clock and lets the player
 * send the MSEL, printing one line per inject sent, accepted and delivered, until the last inject
 * has reached the state waited for.
 */
final class HeadlessControl {

    private static final long POLL_MILLIS = 200;

    private final HotlineClient client;
    private final MselPlayer player;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean waitDelivered;

    HeadlessControl(HotlineClient client, MselPlayer player, PrintWriter out, PrintWriter err, boolean waitDelivered) {
        this.client = client;
        this.player = player;
        this.out = out;
        this.err = err;
        this.waitDelivered = waitDelivered;
    }

    int play() throws Exception {
        player.addListener(new MselPlayer.Listener() {
            @Override
            public void injectSent(MselInject i, String recipient, MessageId id) {
                line(String.format("%-6s sent       to %-8s (message %s, %s: %s)", i.id(), recipient, id.shortForm(),
                        i.kind().label(), DisplaySafe.line(i.title())));
            }

            @Override
            public void deliveryChanged(String injectId, String recipient, DeliveryState state) {
                if (state == DeliveryState.ACCEPTED) {
                    line(String.format("%-6s accepted   for %s", injectId, recipient));
                } else if (state == DeliveryState.DELIVERED) {
                    line(String.format("%-6s delivered  to %s", injectId, recipient));
                } else if (state == DeliveryState.ACKNOWLEDGED) {
                    line(String.format("%-6s acknowledged by %s", injectId, recipient));
                }
            }

            @Override
            public void injectSkipped(MselInject i) {
                line(String.format("%-6s skipped", i.id()));
            }

            @Override
            public void clockChanged(ControlClock.State s) {
                line("clock  " + (s.running() ? "running" : "paused") + " at " + DisplayText.speed(s.speedPermille())
                        + ", scenario " + s.scenarioAt(Instant.now()));
            }

            @Override
            public void problem(String message) {
                problemLine(message);
            }
        });
        client.addListener(new ClientListener() {
            @Override
            public void problem(String message) {
                problemLine(message);
            }

            @Override
            public void readingReceived(org.hotline.client.core.MessageReading r) {
                // How a participant read the other side's message: for control's eyes only (PROTOCOL.md §4.2).
                line(String.format("reading: %s read %s's message %s as %s%s", r.reader(), r.sender(),
                        r.messageId().shortForm(), r.readAs().label(),
                        r.note().isEmpty() ? "" : ", note: " + DisplaySafe.line(r.note())));
            }
        });
        client.start();
        player.start().get(30, TimeUnit.SECONDS);
        ControlClock.State clock = player.clockState();
        line("control: " + player.msel().name() + " (" + player.msel().injects().size() + " injects) as "
                + client.role() + ", scenario start " + player.msel().scenarioStart());
        if (!clock.started()) {
            player.startClock().get(30, TimeUnit.SECONDS);
        } else if (!clock.running()) {
            // Headless control plays on its own: a clock paused before a restart runs again.
            player.resume().get(30, TimeUnit.SECONDS);
        } else {
            line("clock  running since before this start, scenario " + clock.scenarioAt(Instant.now()));
        }
        DeliveryState target = waitDelivered ? DeliveryState.DELIVERED : DeliveryState.ACCEPTED;
        while (!reached(player.timeline().get(30, TimeUnit.SECONDS), target)) {
            Thread.sleep(POLL_MILLIS);
        }
        line("control: every inject sent or skipped, the last one " + target.label());
        return ExitCodes.OK;
    }

    private static boolean reached(List<MselPlayer.InjectStatus> timeline, DeliveryState target) {
        for (MselPlayer.InjectStatus s : timeline) {
            if (s.state() == MselPlayer.InjectState.PENDING) {
                return false;
            }
            if (s.state() == MselPlayer.InjectState.SENT && (s.recipients().size() < s.inject().recipients().size()
                    || s.recipients().values().stream().anyMatch(st -> st.ordinal() < target.ordinal()))) {
                return false;
            }
        }
        return true;
    }

    private synchronized void line(String text) {
        out.println(text);
        out.flush();
    }

    private synchronized void problemLine(String message) {
        err.println("hotline: " + DisplaySafe.line(message));
        err.flush();
    }
}
