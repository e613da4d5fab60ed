package org.hotline.client.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.hotline.protocol.crypto.MessageSealer;
import org.hotline.protocol.crypto.MessageSigner;
import org.hotline.protocol.crypto.VerifiedPrekey;
import org.hotline.protocol.signals.SignalCatalog;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.SignedMessage;
import org.hotline.protocol.wire.SignedPrekeyBytes;
import org.hotline.server.store.StoredEnvelope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sender that signs two different messages with the same counter equivocates (PROTOCOL.md §4.5).
 * The receiver keeps the first, logs the second once as evidence, and answers it with a signed
 * {@code rejected} receipt (reason {@code equivocation}, §6), so the relay stops delivering it:
 * without that, every reconnect would deliver it, and log it, again. The relay here
 * ({@link HostileMailbox}) hands pk.pm, in place of in.pm's second message, one that in.pm's real
 * key signed with the counter of a message pk.pm already holds.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EquivocationSettledTest {

    @TempDir
    Path tmp;
    HostileRelay world;
    TestExercise exercise;
    HostileMailbox hostile;
    final SecureRandom random = new SecureRandom();

    @BeforeEach
    void hostileRelay() throws Exception {
        world = HostileRelay.start(tmp, Clock.systemUTC(), c -> c);
        exercise = world.exercise();
        hostile = world.mailbox();
    }

    @AfterEach
    void stop() {
        world.close();
    }

    HotlineClient started(String role, Recorder rec) throws Exception {
        HotlineClient client = world.open(role, rec);
        client.start();
        return client;
    }

    void closed(HotlineClient client) {
        client.close();
        world.clients().remove(client);
    }

    @Test
    void anEquivocatingCopy_isLoggedOnce_rejected_andNotShownOrLoggedAgainAfterAReconnect() throws Exception {
        Recorder in = new Recorder();
        Recorder pk = new Recorder();
        HotlineClient india = started("in.pm", in);
        HotlineClient pakistan = started("pk.pm", pk);
        MessageId first = india.sendText("pk.pm", "first words").get(15, TimeUnit.SECONDS);
        assertThat(pk.next().id()).isEqualTo(first);
        closed(pakistan);

        MessageId second = india.sendText("pk.pm", "second words").get(15, TimeUnit.SECONDS);
        in.awaitState(second, DeliveryState.ACCEPTED);
        // in.pm's counter 1 on leaders is already with pk.pm (the first message, or a link test before it).
        List<SignedPrekeyBytes> prekeys = new ArrayList<>(hostile.publishedPrekeys("pk.pm"));
        prekeys.add(exercise.directory().initialPrekeyOf("pk.pm"));
        AtomicInteger deliveriesOfSecond = new AtomicInteger();
        // One forged copy, delivered in place of the stored one every time (the same bytes each time).
        java.util.concurrent.atomic.AtomicReference<StoredEnvelope> forged = new java.util.concurrent.atomic.AtomicReference<>();
        hostile.alterDeliveries((to, e) -> {
            if (!to.equals("pk.pm") || !e.messageId().equals(second)) {
                return e;
            }
            deliveriesOfSecond.incrementAndGet();
            return forged.updateAndGet(f -> f != null ? f : equivocating(e, prekeys));
        });

        Recorder pk2 = new Recorder();
        HotlineClient again = started("pk.pm", pk2);
        String problem = HostileRelayTest.awaitProblem(pk2, "numbered 1");
        awaitRejectedToTheRelay(second);
        assertThat(problem).contains(second.shortForm()).contains("rejected (equivocation)");
        Thread.sleep(300);
        assertThat(pk2.received).as("not shown").isEmpty();
        closed(again);

        Recorder pk3 = new Recorder();
        started("pk.pm", pk3);
        ClientCoreTest.awaitLink(pk3, s -> s.connected());
        Thread.sleep(1000);
        // The relay's mailbox holds the genuine box, and the rejection is about the copy the hostile
        // relay put in its place: a relay purges only the box a rejection names (PROTOCOL.md §6, so
        // one relay cannot have another relay's genuine copy purged), so the genuine box stays and is
        // delivered again, replaced by the same forgery; pk.pm answers that copy with its stored
        // rejection and logs and shows nothing more.
        assertThat(deliveriesOfSecond.get()).as("delivered again after the reconnect").isGreaterThanOrEqualTo(2);
        assertThat(pk3.received).as("never shown").isEmpty();
        assertThat(pk3.problems).noneMatch(p -> p.contains(second.shortForm()));
        List<JsonNode> log = entriesAbout(second);
        assertThat(log).filteredOn(e -> e.path("type").asText().equals("equivocation")).as("logged once").hasSize(1);
        assertThat(log).filteredOn(e -> e.path("type").asText().equals("receipt"))
                .singleElement().satisfies(e -> {
                    assertThat(e.path("state").asText()).isEqualTo("rejected");
                    assertThat(e.path("reason").asText()).isEqualTo("equivocation");
                });
    }

    /** The box replaced by a message in.pm's real key signed with counter 1, under the envelope's id. */
    StoredEnvelope equivocating(StoredEnvelope e, List<SignedPrekeyBytes> prekeys) {
        try {
            MessageHeader h = new MessageHeader(exercise.role("in.pm").exerciseId(), e.messageId(), e.sender(),
                    List.of("pk.pm"), e.channel(), 1, Instant.now(), Hash32.ZERO, Hash32.ZERO,
                    SignalCatalog.builtIn().version(), Optional.empty(), Optional.empty());
            SignedMessage m = MessageSigner.sign(exercise.role("in.pm").identity(), h,
                    new Content.Text("other words under the same number"));
            SignedPrekeyBytes p = prekeys.stream().filter(x -> x.prekeyId() == e.box().prekeyId()).findFirst()
                    .orElseThrow();
            var dir = exercise.directory();
            VerifiedPrekey prekey = VerifiedPrekey.verify(p, p.role(), dir.validator().identityKey(
                    dir.identityCertificateOf(p.role()), Instant.now()), p.exerciseId(), Instant.now());
            return HostileRelayTest.withBox(e, MessageSealer.seal(m, List.of(prekey), random).boxes().get(0));
        } catch (Exception x) {
            throw new IllegalStateException("the forgery itself failed", x);
        }
    }

    void awaitRejectedToTheRelay(MessageId id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!hostile.rejected(id)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(id.shortForm() + " was never rejected to the relay");
            }
            Thread.sleep(20);
        }
    }

    /** pk.pm's audit-log entries about message {@code id}. */
    List<JsonNode> entriesAbout(MessageId id) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(world.clientDir("pk.pm").resolve("audit.jsonl"))) {
            JsonNode e = json.readTree(line);
            if (e.path("id").asText().equals(id.hex())) {
                out.add(e);
            }
        }
        return out;
    }
}
