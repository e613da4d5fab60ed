package org.hotline.protocol.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.crypto.Hashes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link MerkleLog} and {@link MerkleProofs} against the RFC 9162 reference vectors
 * ({@code vectors/merkle-rfc9162.json}) and against the RFC's recursive definitions, for every
 * tree size up to 70, every leaf and every pair of sizes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MerkleLogTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final int N = 70;
    private static JsonNode vectors;
    private static List<byte[]> leafHashes;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = MerkleLogTest.class.getResourceAsStream("/org/hotline/protocol/vectors/merkle-rfc9162.json")) {
            vectors = new ObjectMapper().readTree(in);
        }
        leafHashes = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            leafHashes.add(MerkleHashes.leafHash(Hashes.sha256(new byte[] {(byte) i, (byte) (i >> 8)})));
        }
    }

    private static MerkleLog referenceLog() {
        MerkleLog log = new MerkleLog();
        for (JsonNode leaf : vectors.get("leaves")) {
            log.append(MerkleHashes.leafHash(HEX.parseHex(leaf.asText())));
        }
        return log;
    }

    private static List<String> hex(List<byte[]> hashes) {
        return hashes.stream().map(HEX::formatHex).toList();
    }

    private static List<byte[]> unhex(JsonNode array) {
        List<byte[]> out = new ArrayList<>();
        array.forEach(h -> out.add(HEX.parseHex(h.asText())));
        return out;
    }

    private static byte[] root(int size) {
        return HEX.parseHex(vectors.get("roots").get(size).asText());
    }

    @Test
    void roots_matchTheReferenceForEverySize() {
        MerkleLog log = referenceLog();
        for (int n = 0; n <= 8; n++) {
            assertThat(HEX.formatHex(log.root(n))).as("size %d", n).isEqualTo(vectors.get("roots").get(n).asText());
        }
    }

    @Test
    void inclusionProofs_matchTheReferenceAndVerify() {
        MerkleLog log = referenceLog();
        for (JsonNode v : vectors.get("inclusion")) {
            int index = v.get("index").asInt();
            int size = v.get("size").asInt();
            List<byte[]> proof = log.inclusionProof(index, size);
            assertThat(hex(proof)).isEqualTo(hex(unhex(v.get("proof"))));
            assertThat(MerkleProofs.verifyInclusion(log.leafHash(index), index, size, proof, root(size))).isTrue();
        }
    }

    @Test
    void consistencyProofs_matchTheReferenceAndVerify() {
        MerkleLog log = referenceLog();
        for (JsonNode v : vectors.get("consistency")) {
            int first = v.get("first").asInt();
            int second = v.get("second").asInt();
            List<byte[]> proof = log.consistencyProof(first, second);
            assertThat(hex(proof)).isEqualTo(hex(unhex(v.get("proof"))));
            assertThat(MerkleProofs.verifyConsistency(first, second, proof, root(first), root(second))).isTrue();
        }
    }

    /** RFC 9162 §2.1.1 MTH, written straight from the definition. */
    private static byte[] mth(List<byte[]> leaves) {
        if (leaves.isEmpty()) {
            return Hashes.sha256();
        }
        if (leaves.size() == 1) {
            return leaves.get(0);
        }
        int k = Integer.highestOneBit(leaves.size() - 1);
        return MerkleHashes.nodeHash(mth(leaves.subList(0, k)), mth(leaves.subList(k, leaves.size())));
    }

    @Test
    void everySizeLeafAndPair_provesAndVerifies() {
        MerkleLog log = new MerkleLog();
        leafHashes.forEach(log::append);
        for (int n = 0; n <= N; n++) {
            byte[] root = log.root(n);
            assertThat(root).as("root %d", n).isEqualTo(mth(leafHashes.subList(0, n)));
            for (int i = 0; i < n; i++) {
                List<byte[]> proof = log.inclusionProof(i, n);
                assertThat(MerkleProofs.verifyInclusion(leafHashes.get(i), i, n, proof, root)).as("leaf %d of %d", i, n).isTrue();
                if (n < N) {
                    // The same path can fit a larger size, but never with that size's root.
                    assertThat(MerkleProofs.verifyInclusion(leafHashes.get(i), i, n + 1, proof, log.root(n + 1))).isFalse();
                }
                if (n > 1) {
                    int other = (i + 1) % n;
                    assertThat(MerkleProofs.verifyInclusion(leafHashes.get(i), other, n, proof, root)).isFalse();
                    assertThat(MerkleProofs.verifyInclusion(leafHashes.get(other), i, n, proof, root)).isFalse();
                }
            }
            for (int m = 0; m <= n; m++) {
                List<byte[]> proof = log.consistencyProof(m, n);
                assertThat(MerkleProofs.verifyConsistency(m, n, proof, log.root(m), root)).as("%d -> %d", m, n).isTrue();
            }
        }
    }

    @Test
    void everyBitOfEveryProofHash_matters() {
        MerkleLog log = new MerkleLog();
        leafHashes.subList(0, 37).forEach(log::append);
        byte[] root = log.root(37);
        for (int i = 0; i < 37; i++) {
            List<byte[]> proof = log.inclusionProof(i, 37);
            for (int h = 0; h < proof.size(); h++) {
                for (int bit = 0; bit < 256; bit += 37) {
                    List<byte[]> bad = new ArrayList<>(proof);
                    byte[] flipped = proof.get(h).clone();
                    flipped[bit / 8] ^= (byte) (1 << (bit % 8));
                    bad.set(h, flipped);
                    assertThat(MerkleProofs.verifyInclusion(leafHashes.get(i), i, 37, bad, root)).isFalse();
                }
            }
            assertThat(MerkleProofs.verifyInclusion(leafHashes.get(i), i, 37, proof.subList(0, proof.size() - 1), root)).isFalse();
            List<byte[]> longer = new ArrayList<>(proof);
            longer.add(new byte[32]);
            assertThat(MerkleProofs.verifyInclusion(leafHashes.get(i), i, 37, longer, root)).isFalse();
        }
        for (int m = 1; m < 37; m++) {
            List<byte[]> proof = log.consistencyProof(m, 37);
            for (int h = 0; h < proof.size(); h++) {
                List<byte[]> bad = new ArrayList<>(proof);
                byte[] flipped = proof.get(h).clone();
                flipped[h % 32] ^= 0x01;
                bad.set(h, flipped);
                assertThat(MerkleProofs.verifyConsistency(m, 37, bad, log.root(m), root)).as("%d -> 37, hash %d", m, h).isFalse();
            }
            assertThat(MerkleProofs.verifyConsistency(m, 37, List.of(), log.root(m), root)).isFalse();
            assertThat(MerkleProofs.verifyConsistency(m, 37, proof, log.root(m - 1 == 0 ? 2 : m - 1), root)).isFalse();
        }
    }

    @Test
    void consistency_degenerateCases() {
        MerkleLog log = referenceLog();
        assertThat(MerkleProofs.verifyConsistency(4, 4, List.of(), root(4), root(4))).isTrue();
        assertThat(MerkleProofs.verifyConsistency(4, 4, List.of(), root(4), root(5))).isFalse();
        assertThat(MerkleProofs.verifyConsistency(4, 4, List.of(new byte[32]), root(4), root(4))).isFalse();
        assertThat(MerkleProofs.verifyConsistency(0, 8, List.of(), root(0), root(8))).isTrue();
        assertThat(MerkleProofs.verifyConsistency(8, 6, log.consistencyProof(6, 8), root(8), root(6))).isFalse();
        assertThat(MerkleProofs.verifyInclusion(log.leafHash(5), 5, 8, log.inclusionProof(5, 8), new byte[31])).isFalse();
        assertThat(MerkleProofs.verifyInclusion(log.leafHash(5), 8, 8, log.inclusionProof(5, 8), root(8))).isFalse();
        assertThatThrownBy(() -> log.inclusionProof(8, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> log.consistencyProof(5, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> log.root(9)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void truncate_thenAppendOtherLeaves_givesTheOtherTree() {
        MerkleLog log = new MerkleLog();
        leafHashes.subList(0, 13).forEach(log::append);
        log.truncate(5);
        leafHashes.subList(20, 28).forEach(log::append);
        List<byte[]> expected = new ArrayList<>(leafHashes.subList(0, 5));
        expected.addAll(leafHashes.subList(20, 28));
        assertThat(log.size()).isEqualTo(13);
        assertThat(log.root(13)).isEqualTo(mth(expected));
        for (int i = 0; i < 13; i++) {
            assertThat(MerkleProofs.verifyInclusion(expected.get(i), i, 13, log.inclusionProof(i, 13), mth(expected))).isTrue();
        }
    }
}
