package org.hotline.protocol.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import org.hotline.protocol.audit.MerkleTree;
import org.hotline.protocol.crypto.Hashes;
import org.hotline.protocol.crypto.IdentityKeyPair;
import org.hotline.protocol.crypto.SignatureContext;
import org.hotline.protocol.wire.WireWriter;

/**
 * What a log's owner can do to its own log (THREAT_MODEL.md: the owner holds its identity key):
 * edit lines, then re-chain every {@code prev} and re-sign every checkpoint, written from
 * PROTOCOL.md §11 alone. A verifier must catch what such a rewrite changes by other means.
 */
public final class LogForger {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    private LogForger() {
    }

    /** Applies {@code edit} to line {@code lineNo} (1-based), then re-chains and re-signs the whole file. */
    public static void rewrite(Path file, int lineNo, UnaryOperator<String> edit, IdentityKeyPair ownerKey)
            throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        lines.set(lineNo - 1, edit.apply(lines.get(lineNo - 1)));
        Files.write(file, rechain(lines, ownerKey), StandardCharsets.UTF_8);
    }

    /** Recomputes every {@code prev}, checkpoint {@code root} and checkpoint signature in order. */
    public static List<String> rechain(List<String> lines, IdentityKeyPair ownerKey) throws IOException {
        List<String> out = new ArrayList<>();
        MerkleTree tree = new MerkleTree();
        byte[] prev = new byte[32];
        for (String line : lines) {
            // Other lines are edited as text, so whatever the forger put there (even a duplicate key) stays.
            String text = line.replaceFirst("\"prev\":\"[0-9a-f]{64}\"", "\"prev\":\"" + HEX.formatHex(prev) + "\"");
            ObjectNode n;
            try {
                n = (ObjectNode) JSON.readTree(text);
            } catch (IOException | ClassCastException torn) {
                // A torn line is neither chained nor a Merkle leaf (PROTOCOL.md §11.5): keep it as it is.
                out.add(line);
                continue;
            }
            if ("checkpoint".equals(n.path("type").asText())) {
                byte[] root = tree.root();
                n.put("treeSize", tree.size());
                n.put("root", HEX.formatHex(root));
                byte[] signed = new WireWriter(128).u64(n.path("seq").asLong()).string(n.path("time").asText())
                        .fixed(prev).string(n.path("signer").asText()).u64(tree.size()).fixed(root).toByteArray();
                n.put("signature", Base64.getEncoder().encodeToString(
                        ownerKey.sign(SignatureContext.AUDIT_CHECKPOINT, signed)));
                text = JSON.writeValueAsString(n);
            }
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            out.add(text);
            tree.append(MerkleTree.leafHash(bytes));
            prev = Hashes.sha256(bytes);
        }
        return out;
    }

    /** The 1-based number of the first line containing {@code marker}. */
    public static int lineContaining(Path file, String marker) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(marker)) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("no line contains " + marker);
    }
}
