package org.hotline.protocol.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A log whose owner ended without its closing checkpoint (SIGKILL, a power cut) has an unsigned
 * tail: every line verifies, only the entries after the last checkpoint are not covered. The
 * verifier keeps the covered entries vouched for and says which are not, distinct from tampering
 * (PROTOCOL.md §11.4).
 */
@Timeout(60)
class UnsignedTailTest extends LeadersLogFixture {

    /** Checkpoints after entries 4 and 8 (treeSize 4 and 9), then 3 entries and no close. */
    Path killedLog() throws Exception {
        Path file = tmp.resolve("killed.jsonl");
        AuditLog log = AuditLog.open(file, "in.pm", inPm.identity(), inPm.identityCertificate(),
                inPm.caCertificate(), Clock.systemUTC(), 4);
        for (int i = 0; i < 10; i++) {
            log.append(new AuditEvent.LinkUp("connected " + i));
        }
        // Not closed: as if the process had been killed. Its lines are already with the OS.
        return file;
    }

    @Test
    void entriesBeforeTheLastCheckpoint_stayVouchedFor_onlyTheTailIsNot() throws Exception {
        AuditReport r = AuditVerifier.verify(killedLog(), trust());
        assertThat(r.intact()).isFalse();
        assertThat(r.onlyUnsignedTail()).isTrue();
        assertThat(r.vouchedEntries()).isEqualTo(10);
        assertThat(r.entries()).isEqualTo(13);
        assertThat(r.unsignedTailEntries()).isEqualTo(3);
        assertThat(r.accepted()).hasSize(13);
        for (int i = 0; i < 13; i++) {
            assertThat(r.vouchesFor(i)).as("entry index " + i).isEqualTo(i < 10);
        }
    }

    @Test
    void aLogWithoutAnyCheckpoint_isAnUnsignedTail_notTampering() throws Exception {
        Path file = tmp.resolve("early.jsonl");
        AuditLog log = AuditLog.open(file, "in.pm", inPm.identity(), inPm.identityCertificate(),
                inPm.caCertificate(), Clock.systemUTC(), 64);
        log.append(new AuditEvent.LinkUp("connected"));
        AuditReport r = AuditVerifier.verify(file, trust());
        assertThat(r.onlyUnsignedTail()).isTrue();
        assertThat(r.unsignedTailEntries()).isEqualTo(2);
        assertThat(r.vouchesFor(0)).isFalse();
        assertThat(r.problem().get().message()).contains("no signed checkpoint");
    }

    @Test
    void tampering_isNeverAnUnsignedTail_andVouchesForNothing() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(killedLog()));
        lines.set(2, lines.get(2).replace("connected 1", "connected X"));
        Path tampered = tmp.resolve("tampered.jsonl");
        Files.write(tampered, lines);
        AuditReport r = AuditVerifier.verify(tampered, trust());
        assertThat(r.onlyUnsignedTail()).isFalse();
        assertThat(r.unsignedTailEntries()).isZero();
        assertThat(r.vouchesFor(0)).isFalse();
    }

    @Test
    void anIntactLog_vouchesForEveryEntry() throws Exception {
        Path file = killedLog();
        AuditLog.open(file, "in.pm", inPm.identity(), inPm.identityCertificate(), inPm.caCertificate(),
                Clock.systemUTC(), 4).close();
        AuditReport r = AuditVerifier.verify(file, trust());
        assertThat(r.intact()).isTrue();
        assertThat(r.unsignedTailEntries()).isZero();
        assertThat(r.vouchesFor(r.entries() - 1)).isTrue();
    }
}
