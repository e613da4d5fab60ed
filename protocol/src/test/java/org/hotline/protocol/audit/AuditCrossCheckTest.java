package org.hotline.protocol.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.MessageId;
import org.junit.jupiter.api.Test;

/** Peer checkpoints in a log (PROTOCOL.md §11.3) and the cross-check of several logs (§11.4). */
class AuditCrossCheckTest extends LeadersLogFixture {

    static AuditLog open(Path file, String owner, RoleCredential c) throws Exception {
        return AuditLog.open(file, owner, c.identity(), c.identityCertificate(), c.caCertificate(), Clock.systemUTC(), 64);
    }

    /** in.pm's log with checkpoints after entries 3, 6 and 9 (lines 4, 8, 12); pk.pm holds {@code held}. */
    Path[] logs(Content.LogCheckpoint[] held) throws Exception {
        Path in = tmp.resolve("in.jsonl");
        Path pk = tmp.resolve("pk.jsonl");
        try (AuditLog a = open(in, "in.pm", inPm); AuditLog b = open(pk, "pk.pm", pkPm)) {
            b.ensureCertificate("in.pm", inPm.identityCertificate());
            for (int round = 0; round < 3; round++) {
                a.append(new AuditEvent.LinkUp("up " + round));
                a.append(new AuditEvent.LinkDown("down " + round));
                if (round > 0) {
                    a.append(new AuditEvent.LinkVerified(round));
                }
                a.checkpoint();
                held[round] = a.lastCheckpoint().orElseThrow();
            }
            b.append(new AuditEvent.PeerCheckpoint(held[1], Optional.of(MessageId.of(new byte[16]))));
        }
        return new Path[] {in, pk};
    }

    @Test
    void aPeerCheckpoint_verifiesAndIsListed_andBothGenuineLogsAgree() throws Exception {
        Content.LogCheckpoint[] held = new Content.LogCheckpoint[3];
        Path[] f = logs(held);
        var in = AuditVerifier.verify(f[0], trust());
        var pk = AuditVerifier.verify(f[1], trust());
        assertThat(pk.problem()).isEmpty();
        assertThat(pk.peerCheckpoints()).singleElement().satisfies(h -> {
            assertThat(h.owner()).isEqualTo("in.pm");
            assertThat(h.treeSize()).isEqualTo(held[1].treeSize());
            assertThat(h.root()).isEqualTo(held[1].root());
        });
        var findings = AuditCrossCheck.check(List.of(in, pk));
        assertThat(findings).singleElement().satisfies(x -> assertThat(x.agrees()).as(x.message()).isTrue());
        assertThat(in.vouching().get(0)).startsWith("vouched for up to entry " + in.entries() + " of " + in.entries());
        assertThat(pk.vouching().get(1)).isEqualTo("peer checkpoints held: in.pm at " + held[1].treeSize()
                + " entries (line 3)");
    }

    @Test
    void aLogCutAtAnEarlierCheckpoint_failsTheCrossCheck_namingTheMissingRange() throws Exception {
        Content.LogCheckpoint[] held = new Content.LogCheckpoint[3];
        Path[] f = logs(held);
        // Keep in.pm's log up to its first checkpoint (line 4): alone it is intact.
        List<String> lines = Files.readAllLines(f[0], StandardCharsets.UTF_8);
        Files.write(f[0], lines.subList(0, 4), StandardCharsets.UTF_8);
        var in = AuditVerifier.verify(f[0], trust());
        assertThat(in.problem()).isEmpty();
        var findings = AuditCrossCheck.check(List.of(in, AuditVerifier.verify(f[1], trust())));
        assertThat(AuditCrossCheck.agree(findings)).isFalse();
        assertThat(findings).singleElement().extracting(AuditCrossCheck.Finding::message).isEqualTo(
                "in.pm's log ends at entry 4 but pk.pm holds in.pm's signed checkpoint of 7 entries (line 3): "
                        + "entries 5\u20137 are missing");
    }

    @Test
    void aRewrittenLog_failsTheCrossCheck_evenReSignedByItsOwner() throws Exception {
        Content.LogCheckpoint[] held = new Content.LogCheckpoint[3];
        Path[] f = logs(held);
        org.hotline.protocol.testing.LogForger.rewrite(f[0], 2, l -> l.replace("up 0", "up 9"), inPm.identity());
        var in = AuditVerifier.verify(f[0], trust());
        assertThat(in.problem()).isEmpty();
        var findings = AuditCrossCheck.check(List.of(in, AuditVerifier.verify(f[1], trust())));
        assertThat(findings).singleElement().extracting(AuditCrossCheck.Finding::message).asString()
                .startsWith("root differs at size 7: in.pm's log was rewritten at or before entry 7");
    }

    @Test
    void aForgedPeerCheckpoint_failsVerificationAtItsLine() throws Exception {
        Path pk = tmp.resolve("pk.jsonl");
        Content.LogCheckpoint real;
        try (AuditLog a = open(tmp.resolve("in.jsonl"), "in.pm", inPm)) {
            a.checkpoint();
            real = a.lastCheckpoint().orElseThrow();
        }
        byte[] sig = real.signature();
        sig[0] ^= 1;
        try (AuditLog b = open(pk, "pk.pm", pkPm)) {
            b.ensureCertificate("in.pm", inPm.identityCertificate());
            b.append(new AuditEvent.PeerCheckpoint(new Content.LogCheckpoint(real.owner(), real.treeSize(), real.time(),
                    real.prev(), real.root(), sig), Optional.empty()));
        }
        var report = AuditVerifier.verify(pk, trust());
        assertThat(report.problem()).hasValueSatisfying(p -> {
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.message()).contains("checkpoint of in.pm's log: signature does not verify");
        });
    }

    @Test
    void aPeerCheckpointWhoseDisplayedSizeDiffersFromTheSignedOne_isRejectedByTheCodec() throws Exception {
        Content.LogCheckpoint[] held = new Content.LogCheckpoint[3];
        Path[] f = logs(held);
        List<String> lines = Files.readAllLines(f[1], StandardCharsets.UTF_8);
        lines.set(2, lines.get(2).replace("\"treeSize\":" + held[1].treeSize() + ",", "\"treeSize\":99,"));
        Files.write(f[1], org.hotline.protocol.testing.LogForger.rechain(lines, pkPm.identity()), StandardCharsets.UTF_8);
        var report = AuditVerifier.verify(f[1], trust());
        assertThat(report.problem()).hasValueSatisfying(p -> {
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.message()).contains("treeSize");
        });
    }
}
