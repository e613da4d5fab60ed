package org.hotline.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.audit.AuditLog;
import org.hotline.protocol.pki.ExercisePki;
import org.hotline.protocol.pki.RelayCredential;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.server.config.RelayConfig;
import org.hotline.server.relay.IdentityDirectory;
import org.hotline.server.relay.Relay;
import org.hotline.server.relay.RelayDependencies;
import org.hotline.server.relay.TrustState;
import org.hotline.server.store.SqliteMailbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RelayChannelInitializerTest {

    @TempDir
    Path tmp;

    @Test
    void pipeline_hasOneHandlerPerConcern_inTheFixedOrder() throws Exception {
        TestExercise exercise = TestExercise.create(tmp);
        RelayConfig config = RelayConfig.defaults("127.0.0.1", 0, tmp.resolve("relay-data"));
        RelayCredential credential = exercise.relay();
        Clock clock = Clock.systemUTC();
        TrustState trust = new TrustState(exercise.directory(), clock);
        try (SqliteMailbox mailbox = SqliteMailbox.open(config.dataDir(), 8, clock);
             AuditLog audit = AuditLog.open(config.dataDir().resolve(RelayServer.AUDIT_FILE), ExercisePki.RELAY_NAME,
                     credential.identity(), credential.identityCertificate(), credential.caCertificate(), clock, 256)) {
            Relay relay = new Relay(RelayDependencies.builder()
                    .exercise(exercise.exercise(), exercise.directory())
                    .config(config)
                    .mailbox(mailbox)
                    .relayIdentity(credential.identity())
                    .exerciseId(credential.exerciseId())
                    .identities(new IdentityDirectory(exercise.directory(), trust, clock))
                    .clock(clock)
                    .audit(audit)
                    .revokedSerial(serial -> false)
                    .build());
            ChannelGroup group = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
            RelayChannelInitializer init = new RelayChannelInitializer(config, credential, trust, relay, clock, group);
            NioSocketChannel ch = new NioSocketChannel();
            try {
                init.initChannel(ch);

                assertThat(ch.pipeline().names()).startsWith("idle", "tls", "frame-decoder", "frame-encoder",
                        "peer-identity", "rate-limit", "relay", "errors");
                assertThat(ch.pipeline().last()).isInstanceOf(TailExceptionHandler.class);
                assertThat(group.contains(ch)).isTrue();
            } finally {
                ch.unsafe().closeForcibly();
            }
        }
    }
}
