package org.hotline.client.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.hotline.app.HotlineMain;
import org.hotline.app.testing.RelayClients;
import org.hotline.protocol.crypto.IdentityKeyPair;
import org.hotline.protocol.testing.LogForger;
import org.hotline.protocol.tlog.MerkleHashes;
import org.hotline.protocol.tlog.MerkleLog;
import org.hotline.server.store.Mailbox;
import org.hotline.server.testing.RelayFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: "flipping any byte of a stored inclusion proof or checkpoint makes {@code log verify}
 * fail with exit 5", checked field by field for every piece of relay evidence a client stores
 * (PROTOCOL.md §12.5): the receipt, leaf index, path and checkpoint of a {@code relay-inclusion};
 * the checkpoint, root, sizes and consistency proof of a {@code relay-checkpoint}; and of a
 * {@code relay-fork} holding the relay's signed answer, its proof, both signed roots and the
 * relay's signature. Each mutation flips one byte (or one bit of an integer) inside the decoded
 * field, writes it back in canonical form, and has the log's owner re-chain and re-sign the log, so
 * only the relay-evidence checks can catch it (the raw-byte flips without re-signing are in
 * {@code RelayLogVerifyTest}). Positions are a seeded sample, every position of a short field.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class RelayLogEvidencePropertyTest {

    /** Fixed, so a failure names a reproducible mutation. */
    static final long SEED = 0x18_5eedL;
    /** Positions tried per field; a field with fewer bytes (or integer bits) is tried at every one. */
    static final int PER_FIELD = 24;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    static Path tmp;
    static Path log;
    static String exercise;
    static IdentityKeyPair owner;

    private enum Encoding { HEX, BASE64, HEX_ARRAY, INTEGER }

    private record Field(String name, Encoding encoding) {
    }

    private static void send(HotlineClient c, String text) throws Exception {
        var id = c.sendText("pk.pm", text).get(30, TimeUnit.SECONDS);
        c.whenState(id, DeliveryState.ACCEPTED).get(30, TimeUnit.SECONDS);
    }

    /** A client log with relay-inclusion, relay-checkpoint and a relay-fork holding the relay's signed answer. */
    @BeforeAll
    static void aLogWithEveryKindOfRelayEvidence() throws Exception {
        AtomicReference<Mailbox> mailbox = new AtomicReference<>();
        try (RelayFixture relay = new RelayFixture(tmp, c -> c, m -> {
            mailbox.set(m);
            return m;
        })) {
            owner = relay.exercise().role("in.pm").identity();
            RelayLogForkTest.Problems problems = new RelayLogForkTest.Problems();
            HotlineClient in = RelayClients.open(relay, "in.pm", tmp.resolve("in.pm"));
            in.addListener(problems);
            in.start();
            send(in, "one");
            send(in, "two");
            Path stored = tmp.resolve("in.pm").resolve("relay-log-checkpoint");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!(Files.exists(stored) && Files.readString(stored).contains("\n2\n")) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            // The relay forks: leaf 1 replaced after the client saw checkpoint 2.
            MerkleLog relayLog = mailbox.get().relayLog().orElseThrow();
            relayLog.truncate(1);
            relayLog.append(MerkleHashes.leafHash("a message nobody sent".getBytes(StandardCharsets.UTF_8)));
            send(in, "three");
            assertThat(problems.await("relay log forked: checkpoint 3 is not consistent with 2 (it signed"))
                    .as("problems: %s", problems.seen).isTrue();
            in.close();
        }
        log = tmp.resolve("in.pm").resolve("audit.jsonl");
        exercise = tmp.resolve("exercise").toString();
        assertThat(verify(log)).as("the pristine log: intact, and it proves the fork").isEqualTo(6);
    }

    static int verify(Path file) {
        return HotlineMain.run(new String[] {"log", "verify", file.toString(), "--exercise", exercise}, Map.of(),
                new PrintWriter(new StringWriter(), true), new PrintWriter(new StringWriter(), true));
    }

    /** The 1-based number of the last line of {@code type} that {@code also} matches. */
    private static int lastLine(String type, java.util.function.Predicate<JsonNode> also) throws Exception {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).contains("\"type\":\"" + type + "\"") && also.test(JSON.readTree(lines.get(i)))) {
                return i + 1;
            }
        }
        throw new AssertionError("no " + type + " line");
    }

    /**
     * Every sampled mutation of every field of line {@code lineNo}, re-chained and re-signed by the
     * owner, makes {@code log verify} exit 5.
     */
    private static void everyFieldMutated_failsWith5(int lineNo, List<Field> fields) throws Exception {
        String original = Files.readAllLines(log, StandardCharsets.UTF_8).get(lineNo - 1);
        JsonNode entry = JSON.readTree(original);
        Random random = new Random(SEED ^ lineNo);
        List<String> escaped = new ArrayList<>();
        int tried = 0;
        Path copy = tmp.resolve("mutated.jsonl");
        for (Field f : fields) {
            JsonNode value = entry.get(f.name());
            assertThat(value).as("field %s of line %d", f.name(), lineNo).isNotNull();
            int width = width(f, value);
            List<Integer> positions = positions(width, random);
            for (int pos : positions) {
                int mask = 1 + random.nextInt(255);
                String mutated = original.replace(fieldText(f, value), fieldText(f, mutate(f, value, pos, mask)));
                assertThat(mutated).isNotEqualTo(original);
                Files.copy(log, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                LogForger.rewrite(copy, lineNo, l -> mutated, owner);
                tried++;
                int exit = verify(copy);
                if (exit != 5) {
                    escaped.add(f.name() + " position " + pos + " mask " + mask + ": exit " + exit);
                }
            }
        }
        assertThat(tried).isGreaterThanOrEqualTo(fields.size());
        assertThat(escaped).as("mutations of line %d that log verify did not fail with 5 (seed %x)", lineNo, SEED)
                .isEmpty();
    }

    private static int width(Field f, JsonNode v) {
        return switch (f.encoding()) {
            case HEX -> v.asText().length() / 2;
            case BASE64 -> Base64.getDecoder().decode(v.asText()).length;
            case HEX_ARRAY -> {
                int n = 0;
                for (JsonNode h : v) {
                    n += h.asText().length() / 2;
                }
                yield n;
            }
            // Bits 0..62: a value stays a non-negative integer, as the codec requires.
            case INTEGER -> 63;
        };
    }

    private static List<Integer> positions(int width, Random random) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            all.add(i);
        }
        if (width <= PER_FIELD) {
            return all;
        }
        java.util.Collections.shuffle(all, random);
        return all.subList(0, PER_FIELD);
    }

    /** The field as it appears in the compact canonical line. */
    private static String fieldText(Field f, JsonNode v) {
        return "\"" + f.name() + "\":" + v.toString();
    }

    private static JsonNode mutate(Field f, JsonNode v, int pos, int mask) {
        var nodes = JSON.getNodeFactory();
        return switch (f.encoding()) {
            case HEX -> {
                byte[] b = HEX.parseHex(v.asText());
                b[pos] ^= (byte) mask;
                yield nodes.textNode(HEX.formatHex(b));
            }
            case BASE64 -> {
                byte[] b = Base64.getDecoder().decode(v.asText());
                b[pos] ^= (byte) mask;
                yield nodes.textNode(Base64.getEncoder().encodeToString(b));
            }
            case HEX_ARRAY -> {
                var out = nodes.arrayNode();
                int at = pos;
                for (JsonNode h : v) {
                    byte[] b = HEX.parseHex(h.asText());
                    if (at >= 0 && at < b.length) {
                        b[at] ^= (byte) mask;
                    }
                    at -= b.length;
                    out.add(HEX.formatHex(b));
                }
                yield out;
            }
            case INTEGER -> nodes.numberNode(v.asLong() ^ (1L << pos));
        };
    }

    @Test
    void everyFieldOfARelayInclusionEntry_mutatedAndReSigned_failsWith5() throws Exception {
        int line = lastLine("relay-inclusion", n -> n.get("proof").size() > 0);
        everyFieldMutated_failsWith5(line, List.of(new Field("id", Encoding.HEX), new Field("leafIndex", Encoding.INTEGER),
                new Field("treeSize", Encoding.INTEGER), new Field("proof", Encoding.HEX_ARRAY),
                new Field("checkpoint", Encoding.BASE64), new Field("receipt", Encoding.BASE64)));
    }

    @Test
    void everyFieldOfTheFirstRelayCheckpointEntry_mutatedAndReSigned_failsWith5() throws Exception {
        int line = lastLine("relay-checkpoint", n -> n.get("previousSize").asLong() == 0);
        everyFieldMutated_failsWith5(line, List.of(new Field("treeSize", Encoding.INTEGER),
                new Field("root", Encoding.HEX), new Field("previousSize", Encoding.INTEGER),
                new Field("checkpoint", Encoding.BASE64)));
    }

    @Test
    void everyFieldOfALaterRelayCheckpointEntry_mutatedAndReSigned_failsWith5() throws Exception {
        int line = lastLine("relay-checkpoint", n -> n.get("consistency").size() > 0);
        everyFieldMutated_failsWith5(line, List.of(new Field("treeSize", Encoding.INTEGER),
                new Field("root", Encoding.HEX), new Field("previousSize", Encoding.INTEGER),
                new Field("consistency", Encoding.HEX_ARRAY), new Field("checkpoint", Encoding.BASE64)));
    }

    /**
     * The relay's signed answer is the proof of the fork: any change to it, or to the checkpoints it
     * is compared with, must fail the line rather than leave a (now false) accusation standing.
     */
    @Test
    void everyFieldOfASignedRelayForkEntry_mutatedAndReSigned_failsWith5() throws Exception {
        int line = lastLine("relay-fork", n -> n.has("consistencySignature"));
        everyFieldMutated_failsWith5(line, List.of(new Field("treeSize", Encoding.INTEGER),
                new Field("root", Encoding.HEX), new Field("previousSize", Encoding.INTEGER),
                new Field("consistency", Encoding.HEX_ARRAY), new Field("checkpoint", Encoding.BASE64),
                new Field("oldRoot", Encoding.HEX), new Field("newRoot", Encoding.HEX),
                new Field("consistencySignature", Encoding.BASE64)));
    }

    /** Without re-signing: a seeded sample of raw bytes of the signed relay-fork line, each flipped, exits 5. */
    @Test
    void sampledBytesOfASignedRelayForkLine_flipped_failWith5() throws Exception {
        byte[] file = Files.readAllBytes(log);
        String text = new String(file, StandardCharsets.UTF_8);
        int start = text.lastIndexOf("\"type\":\"relay-fork\"");
        start = text.lastIndexOf('\n', start) + 1;
        int end = text.indexOf('\n', start);
        Random random = new Random(SEED);
        Path copy = tmp.resolve("flipped.jsonl");
        for (int k = 0; k < 64; k++) {
            int i = start + random.nextInt(end - start + 1);
            byte[] changed = file.clone();
            changed[i] ^= (byte) (1 << random.nextInt(8));
            Files.write(copy, changed);
            assertThat(verify(copy)).as("byte %d of the relay-fork line flipped", i - start).isEqualTo(5);
        }
    }
}
