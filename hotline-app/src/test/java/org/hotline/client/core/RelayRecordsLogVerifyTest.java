package org.hotline.client.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hotline.app.HotlineMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code log verify} on the records of several relays and of the relay's log (PROTOCOL.md §11.4,
 * §11.6, §12.5, §13), from the vector {@code audit-relays.json}: the log verifies (exit 0); each
 * copy its owner altered and re-chained and re-signed (a {@code delivered-through} line's counter or
 * its embedded receipt, an inclusion proof, a second duplicate, a duplicate through the first copy's
 * relay or of a message never received) fails with exit 5 and one line naming the line and why.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RelayRecordsLogVerifyTest {

    private static final String VECTORS = "/org/hotline/protocol/vectors/";

    @TempDir
    Path tmp;

    record Cli(int exit, String out, String err) {
    }

    static Cli verify(Path log, Path ca) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HotlineMain.run(new String[] {"log", "verify", log.toString(), "--ca", ca.toString()}, Map.of(),
                new PrintWriter(out, true), new PrintWriter(err, true));
        return new Cli(code, out.toString(), err.toString());
    }

    Path copy(String name) throws Exception {
        Path f = tmp.resolve(name);
        try (InputStream in = RelayRecordsLogVerifyTest.class.getResourceAsStream(VECTORS + name)) {
            assertThat(in).as(name).isNotNull();
            Files.copy(in, f, StandardCopyOption.REPLACE_EXISTING);
        }
        return f;
    }

    JsonNode vector() throws Exception {
        try (InputStream in = RelayRecordsLogVerifyTest.class.getResourceAsStream(VECTORS + "audit-relays.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    Path ca(JsonNode v) throws Exception {
        Path ca = tmp.resolve("ca.crt");
        Files.writeString(ca, v.get("caCertificate").asText(), StandardCharsets.US_ASCII);
        return ca;
    }

    @Test
    void theLog_verifies() throws Exception {
        JsonNode v = vector();
        Cli ok = verify(copy(v.get("file").asText()), ca(v));
        assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
    }

    @Test
    void eachAlteredCopy_failsWith5_andOneLineNamingTheLineAndWhy() throws Exception {
        JsonNode v = vector();
        Path ca = ca(v);
        int deliveredThrough = 0;
        for (JsonNode n : v.get("negative")) {
            Path f = copy(n.get("file").asText());
            Cli r = verify(f, ca);
            assertThat(r.exit()).as(n.get("what").asText() + "\n" + r.out() + r.err()).isEqualTo(5);
            String verdict = r.out().lines().filter(l -> l.contains("NOT INTACT")).findFirst().orElseThrow();
            assertThat(verdict).as(n.get("what").asText()).isEqualTo(verdict.strip())
                    .startsWith(f + ": NOT INTACT: line " + n.get("line").asInt() + ": ")
                    .contains(n.get("reason").asText());
            if (n.get("file").asText().contains("through")) {
                deliveredThrough++;
            }
        }
        assertThat(deliveredThrough).as("delivered-through lines altered by their owner").isEqualTo(2);
    }
}
