package org.hotline.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SealedBox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a process writing the mailbox (schema version 4: a box's delivered state is a row of
 * its own table, PROTOCOL.md §12.1 durability), three times, then a reopen: every box whose store
 * was acknowledged is there; every box whose delivery was acknowledged is no longer pending; every
 * stored box never marked delivered still is; the queue counter loaded at open matches the boxes
 * pending; no seq is handed out twice.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SqliteMailboxDeliveredCrashTest {

    static final Instant NOW = Instant.parse("2026-05-10T14:00:00Z");

    @TempDir
    Path dir;

    static MessageId id(int n) {
        byte[] b = new byte[16];
        b[0] = 0x5a;
        b[12] = (byte) (n >>> 24);
        b[13] = (byte) (n >>> 16);
        b[14] = (byte) (n >>> 8);
        b[15] = (byte) n;
        return MessageId.of(b);
    }

    static Envelope envelope(int n) {
        byte[] ct = new byte[1024];
        java.util.Arrays.fill(ct, (byte) n);
        Receipt accepted = Receipt.of(new Receipt.Fields(Receipt.Type.ACCEPTED, ExerciseId.of(new byte[32]), id(n),
                "relay", "in.pm", "leaders", NOW, Hash32.ZERO), new byte[64]);
        return new Envelope(id(n), "in.pm", "leaders", NOW, List.of(new SealedBox("pk.pm", 1, new byte[1120], ct)),
                new byte[] {(byte) n}, accepted);
    }

    static Receipt delivered(MessageId id) {
        return Receipt.of(new Receipt.Fields(Receipt.Type.DELIVERED, ExerciseId.of(new byte[32]), id, "pk.pm", "in.pm",
                "leaders", NOW, Hash32.ZERO), new byte[64]);
    }

    @Test
    void killMinus9WhileStoringAndMarkingDelivered_losesNoAcknowledgedStateAndRepeatsNoSeq() throws Exception {
        Set<Integer> stored = new HashSet<>();
        Set<Integer> deliveredAcked = new HashSet<>();
        int next = 0;
        for (int round = 0; round < 3; round++) {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), MailboxCrashChild.class.getName(),
                    dir.toString(), Integer.toString(next))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            int target = 300 + 137 * round;
            int seenThisRound = 0;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    assertThat(line).as("child output").doesNotStartWith("failed");
                    if (line.startsWith("stored ")) {
                        stored.add(Integer.parseInt(line.substring(7)));
                        seenThisRound++;
                    } else if (line.startsWith("delivered ")) {
                        deliveredAcked.add(Integer.parseInt(line.substring(10)));
                    }
                    if (seenThisRound >= target) {
                        // SIGKILL on Linux: no shutdown hook, no close, writes in flight.
                        child.destroyForcibly();
                        break;
                    }
                }
            }
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            // The next round starts past every id this one may have stored, acknowledged or not.
            next = stored.stream().mapToInt(Integer::intValue).max().orElse(0) + 1000;
        }
        assertThat(deliveredAcked).isNotEmpty();

        SqliteMailbox mailbox = SqliteMailbox.open(dir, 64, Clock.systemUTC());
        try {
            List<StoredEnvelope> pending = mailbox.pending("pk.pm", 0, 1_000_000).get();
            Set<MessageId> pendingIds = new HashSet<>();
            long lastSeq = 0;
            for (StoredEnvelope e : pending) {
                assertThat(e.seq()).as("seqs in order, none twice").isGreaterThan(lastSeq);
                lastSeq = e.seq();
                pendingIds.add(e.messageId());
            }
            for (int n : stored) {
                assertThat(mailbox.originOf(id(n), "pk.pm").get()).as("stored %d", n).isPresent();
                if (n % 2 != 0) {
                    assertThat(pendingIds).as("never delivered: %d", n).contains(id(n));
                }
            }
            for (int n : deliveredAcked) {
                assertThat(pendingIds).as("delivered: %d", n).doesNotContain(id(n));
            }
            // The queue counter loaded at open counts exactly the pending boxes: one more fits, two do not.
            int held = pending.size();
            assertThat(mailbox.append(envelope(next + 1), held + 1, Long.MAX_VALUE).get())
                    .isInstanceOf(AppendResult.Stored.class);
            assertThat(mailbox.append(envelope(next + 2), held + 1, Long.MAX_VALUE).get())
                    .isInstanceOf(AppendResult.QueueFull.class);
            List<StoredEnvelope> after = mailbox.pending("pk.pm", lastSeq, 10).get();
            assertThat(after).extracting(StoredEnvelope::messageId).containsExactly(id(next + 1));
        } finally {
            mailbox.close();
        }
    }
}
