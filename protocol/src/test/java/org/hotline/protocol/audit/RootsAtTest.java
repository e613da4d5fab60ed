package org.hotline.protocol.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hotline.protocol.wire.Hash32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cross-check asks a log for its Merkle root at every size another log holds a checkpoint of;
 * {@link AuditReport#rootsAt} answers them all in one pass and must agree with what the log's own
 * signed checkpoints say, and with {@link AuditReport#rootAt} one size at a time.
 */
@Timeout(60)
class RootsAtTest extends LeadersLogFixture {

    @Test
    void rootsInOnePass_matchEveryCheckpointOfTheLog_andOneAtATime() throws Exception {
        Path file = tmp.resolve("roots.jsonl");
        try (AuditLog log = AuditLog.open(file, "in.pm", inPm.identity(), inPm.identityCertificate(),
                inPm.caCertificate(), Clock.systemUTC(), 5)) {
            for (int i = 0; i < 40; i++) {
                log.append(new AuditEvent.LinkUp("connected " + i));
            }
        }
        AuditReport r = AuditVerifier.verify(file, trust());
        assertThat(r.intact()).isTrue();
        List<Long> sizes = new ArrayList<>();
        List<Hash32> signed = new ArrayList<>();
        for (AuditEntry e : r.accepted()) {
            if (e.event() instanceof AuditEvent.Checkpoint c) {
                sizes.add(c.treeSize());
                signed.add(Hash32.of(c.root()));
            }
        }
        assertThat(sizes).hasSizeGreaterThan(5);
        List<Long> asked = new ArrayList<>(sizes);
        asked.add(0L);
        asked.add((long) r.entries() + 1);
        Map<Long, Hash32> roots = r.rootsAt(asked);
        for (int i = 0; i < sizes.size(); i++) {
            assertThat(roots.get(sizes.get(i))).as("root at " + sizes.get(i)).isEqualTo(signed.get(i));
            assertThat(r.rootAt(sizes.get(i))).contains(signed.get(i));
        }
        assertThat(roots).containsKey(0L).doesNotContainKey((long) r.entries() + 1);
        assertThat(r.rootAt(r.entries() + 1)).isEmpty();
    }
}
