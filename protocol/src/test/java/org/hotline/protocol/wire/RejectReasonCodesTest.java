package org.hotline.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every rejection reason keeps its wire code (field 10 of a {@code rejected} receipt, PROTOCOL.md
 * §6): the codes are unique, and they are exactly the table of PROTOCOL.md §6. Two features added a
 * reason 9 in parallel once; this catches such a clash and any renumbering.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RejectReasonCodesTest {

    private static final Pattern TABLE_ROW = Pattern.compile("^\\| (\\d+) \\| `([A-Z_]+)` \\|");

    @Test
    void everyReason_hasItsPinnedCode() throws Exception {
        Map<String, Integer> codes = Arrays.stream(Receipt.RejectReason.values())
                .collect(Collectors.toMap(Enum::name, Receipt.RejectReason::code, (a, b) -> a, LinkedHashMap::new));
        assertThat(codes).containsExactly(
                Map.entry("UNKNOWN_PREKEY", 1), Map.entry("DECRYPTION_FAILED", 2), Map.entry("ENVELOPE_MISMATCH", 3),
                Map.entry("BAD_SIGNATURE", 4), Map.entry("WRONG_EXERCISE", 5), Map.entry("MISADDRESSED", 6),
                Map.entry("UNTRUSTED_SENDER", 7), Map.entry("MALFORMED", 8), Map.entry("EQUIVOCATION", 9),
                Map.entry("SENDER_REVOKED", 10));
        assertThat(codes.values()).doesNotHaveDuplicates();
        for (Receipt.RejectReason r : Receipt.RejectReason.values()) {
            assertThat(Receipt.RejectReason.fromCode(r.code())).isEqualTo(r);
        }
    }

    @Test
    void theCodes_areExactlyTheTableOfProtocolMd() throws Exception {
        Map<String, Integer> table = new LinkedHashMap<>();
        boolean inTable = false;
        for (String line : Files.readAllLines(protocolMd())) {
            if (line.startsWith("**Rejection reasons**")) {
                inTable = true;
            } else if (inTable) {
                Matcher m = TABLE_ROW.matcher(line);
                if (m.find()) {
                    assertThat(table.put(m.group(2), Integer.parseInt(m.group(1)))).as("listed once: " + m.group(2)).isNull();
                } else if (!table.isEmpty() && !line.startsWith("|")) {
                    break;
                }
            }
        }
        Map<String, Integer> codes = Arrays.stream(Receipt.RejectReason.values())
                .collect(Collectors.toMap(Enum::name, Receipt.RejectReason::code, (a, b) -> a, LinkedHashMap::new));
        assertThat(table).isEqualTo(codes);
        assertThat(table.values()).doesNotHaveDuplicates();
    }

    /** PROTOCOL.md at the repository root, from the module directory surefire runs in. */
    private static Path protocolMd() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("PROTOCOL.md"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("PROTOCOL.md above " + Path.of("").toAbsolutePath()).isNotNull();
        return dir.resolve("PROTOCOL.md");
    }
}
