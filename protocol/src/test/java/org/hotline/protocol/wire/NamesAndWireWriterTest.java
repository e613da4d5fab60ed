package org.hotline.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Names#isValid} and {@link WireWriter} were rewritten without a regular expression and
 * without a {@code ByteArrayOutputStream} (relay CPU, docs/benchmarks.md): each must give what the
 * plain definition gives.
 */
@Timeout(60)
class NamesAndWireWriterTest {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9.-]{0,62}");

    @Test
    void isValid_agreesWithTheNamePattern() {
        List<String> fixed = List.of("", "a", "in.pm", "leaders", "control", "9a", "-a", ".a", "A", "aB", "a_b",
                "a b", "a".repeat(63), "a".repeat(64), "a" + "1".repeat(62), "é", "aé", "a\u0000", "z-9.");
        for (String s : fixed) {
            assertThat(Names.isValid(s)).as("'%s'", s).isEqualTo(NAME.matcher(s).matches());
        }
        assertThat(Names.isValid(null)).isFalse();
        String alphabet = "abyz019.-AZ_ /:@`{é";
        Random random = new Random(18);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder();
            int length = random.nextInt(70);
            for (int j = 0; j < length; j++) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String s = b.toString();
            assertThat(Names.isValid(s)).as("'%s'", s).isEqualTo(NAME.matcher(s).matches());
        }
    }

    @Test
    void wireWriter_writesWhatDataOutputStreamWrites_acrossGrowth() throws Exception {
        Random random = new Random(7);
        for (int capacity : new int[] {0, 1, 16, 128, 4096}) {
            WireWriter w = new WireWriter(capacity);
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(expected);
            for (int i = 0; i < 300; i++) {
                byte[] blob = new byte[random.nextInt(300)];
                random.nextBytes(blob);
                int v = random.nextInt(Integer.MAX_VALUE);
                long l = random.nextLong();
                w.u8(v & 0xff).u16(v & 0xffff).u32(v).u64(l).bytes32(blob).bytes16(blob).fixed(blob).string("in.pm")
                        .flag(i % 2 == 0);
                d.writeByte(v & 0xff);
                d.writeShort(v & 0xffff);
                d.writeInt(v);
                d.writeLong(l);
                d.writeInt(blob.length);
                d.write(blob);
                d.writeShort(blob.length);
                d.write(blob);
                d.write(blob);
                d.writeShort(5);
                d.write("in.pm".getBytes(StandardCharsets.UTF_8));
                d.writeByte(i % 2 == 0 ? 1 : 0);
            }
            assertThat(w.toByteArray()).isEqualTo(expected.toByteArray());
        }
    }
}
