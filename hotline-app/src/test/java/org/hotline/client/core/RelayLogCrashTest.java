package org.hotline.client.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.hotline.app.testing.RelayClients;
import org.hotline.server.store.AppendResult;
import org.hotline.server.store.Envelope;
import org.hotline.server.store.Mailbox;
import org.hotline.server.testing.RelayFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A relay that stops between a group commit and its checkpoint (PROTOCOL.md §12.1): the message
 * and its leaf are committed, but no checkpoint is signed and no ACCEPTED sent. After a restart the
 * sender's re-send is answered with the original receipt, the original leaf and a checkpoint that
 * includes it; the recipient gets the message once; nothing acknowledged is lost.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RelayLogCrashTest {

    @TempDir
    Path tmp;

    /** Passes writes to the real mailbox, but while {@code stall} is set never reports their commit. */
    static Mailbox stallingAfterCommit(Mailbox real, AtomicBoolean stall, AtomicReference<CompletableFuture<AppendResult>> committed) {
        return (Mailbox) java.lang.reflect.Proxy.newProxyInstance(Mailbox.class.getClassLoader(), new Class<?>[] {Mailbox.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("append") && stall.get()) {
                        CompletableFuture<AppendResult> r = real.append((Envelope) args[0], (int) args[1], (long) args[2]);
                        committed.set(r);
                        return new CompletableFuture<AppendResult>();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void relayStoppedBetweenCommitAndCheckpoint_resendGetsTheOriginalLeaf_andNothingIsLost() throws Exception {
        AtomicBoolean stall = new AtomicBoolean(true);
        AtomicReference<CompletableFuture<AppendResult>> committed = new AtomicReference<>();
        try (RelayFixture relay = new RelayFixture(tmp, c -> c, m -> stallingAfterCommit(m, stall, committed))) {
            HotlineClient in = RelayClients.open(relay, "in.pm", tmp.resolve("in.pm"));
            List<String> problems = new CopyOnWriteArrayList<>();
            in.addListener(new ClientListener() {
                @Override
                public void problem(String message) {
                    problems.add(message);
                }
            });
            in.start();
            var id = in.sendText("pk.pm", "committed, never answered").get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (committed.get() == null && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            AppendResult stored = committed.get().get(30, TimeUnit.SECONDS);
            assertThat(stored).isInstanceOf(AppendResult.Stored.class);
            assertThat(((AppendResult.Stored) stored).leafIndex()).hasValue(0);
            // The relay goes away with the commit done and nothing answered.
            int port = relay.port();
            relay.stop();
            assertThat(in.whenState(id, DeliveryState.ACCEPTED)).isNotDone();
            stall.set(false);
            relay.restartOnSameStoppedPort(port);
            in.whenState(id, DeliveryState.ACCEPTED).get(60, TimeUnit.SECONDS);

            HotlineClient pk = RelayClients.open(relay, "pk.pm", tmp.resolve("pk.pm"));
            List<ReceivedMessage> shown = new CopyOnWriteArrayList<>();
            pk.addListener(new ClientListener() {
                @Override
                public void messageReceived(ReceivedMessage m) {
                    shown.add(m);
                }
            });
            pk.start();
            in.whenState(id, DeliveryState.DELIVERED).get(60, TimeUnit.SECONDS);
            Thread.sleep(500);
            assertThat(shown).filteredOn(m -> m.id().equals(id)).hasSize(1);
            in.close();
            pk.close();
            assertThat(problems).noneMatch(p -> p.startsWith("relay log forked") || p.startsWith("relay's log proof"));
            String log = Files.readString(tmp.resolve("in.pm").resolve("audit.jsonl"), StandardCharsets.UTF_8);
            assertThat(log).contains("\"type\":\"relay-inclusion\",").contains("\"leafIndex\":0,");
        }
    }
}
