package org.hotline.server.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.audit.AuditLog;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.pki.ExerciseDirectory;
import org.hotline.protocol.pki.RelayCredential;
import org.hotline.server.config.RelayConfig;
import org.hotline.server.relay.IdentityDirectory;
import org.hotline.server.relay.Relay;
import org.hotline.server.relay.RelayDependencies;
import org.hotline.server.relay.TrustState;
import org.hotline.server.store.Mailbox;
import org.hotline.server.store.SqliteMailbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay process: a Netty server with mutual TLS 1.3 in front of {@link Relay}, one pipeline
 * per connection ({@link RelayChannelInitializer}); a housekeeping thread closes connections whose
 * certificate a reloaded CRL revokes and purges delivered rows past the retention.
 */
public final class RelayServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RelayServer.class);

    private final RelayConfig config;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ScheduledExecutorService housekeeping;
    private final Mailbox mailbox;
    private final Relay relay;
    private final ChannelGroup children;
    private final AuditLog audit;
    /** The relay's metadata-only audit log, in the data directory. */
    public static final String AUDIT_FILE = "relay-audit.jsonl";
    private final Channel serverChannel;
    private volatile boolean closed;

    private RelayServer(RelayConfig config, EventLoopGroup boss, EventLoopGroup workers,
                        ScheduledExecutorService housekeeping, Mailbox mailbox, Relay relay, Channel serverChannel,
                        ChannelGroup children, AuditLog audit) {
        this.audit = audit;
        this.config = config;
        this.boss = boss;
        this.workers = workers;
        this.housekeeping = housekeeping;
        this.mailbox = mailbox;
        this.relay = relay;
        this.serverChannel = serverChannel;
        this.children = children;
    }

    /** Opens the mailbox, binds the port and starts serving. */
    public static RelayServer start(ExerciseDirectory directory, Exercise exercise, RelayCredential credential,
                                    RelayConfig config, Clock clock) throws Exception {
        return start(directory, exercise, credential, config, clock, m -> m);
    }

    /**
     * As {@link #start(ExerciseDirectory, Exercise, RelayCredential, RelayConfig, Clock)}, with a hook
     * that wraps the mailbox: fault-injection tests use it to make the relay lose or repeat things.
     */
    public static RelayServer start(ExerciseDirectory directory, Exercise exercise, RelayCredential credential,
                                    RelayConfig config, Clock clock,
                                    java.util.function.UnaryOperator<Mailbox> mailboxHook) throws Exception {
        TrustState trust = new TrustState(directory, clock);
        Mailbox mailbox = mailboxHook.apply(SqliteMailbox.open(config.dataDir(), config.groupCommitMaxBatch(), clock));
        ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(
                r -> daemon(r, "relay-housekeeping"));
        AuditLog audit = AuditLog.open(config.dataDir().resolve(AUDIT_FILE), credential.name(),
                credential.identity(), credential.identityCertificate(), credential.caCertificate(), clock, 256);
        IdentityDirectory identities = new IdentityDirectory(directory, trust, clock);
        Relay relay = new Relay(RelayDependencies.builder()
                .exercise(exercise, directory)
                .config(config)
                .mailbox(mailbox)
                .relayIdentity(credential.identity())
                .relayName(credential.name())
                .exerciseId(credential.exerciseId())
                .identities(identities)
                .clock(clock)
                .audit(audit)
                .revokedSerial(serial -> isRevoked(trust, serial))
                .build());
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        ChannelGroup group = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        try {
            ServerBootstrap b = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new RelayChannelInitializer(config, credential, trust, relay, clock, group));
            Channel server = b.bind(config.host(), config.port()).sync().channel();
            RelayServer rs = new RelayServer(config, boss, workers, housekeeping, mailbox, relay, server, group, audit);
            housekeeping.scheduleWithFixedDelay(() -> {
                // Identity certificates first: a reissue's new certificate is then in place when
                // the CRL revoking the old one takes effect.
                identities.refresh();
                if (trust.refresh()) {
                    // Every authenticated connection, whether or not it has said HELLO yet.
                    for (Channel ch : group) {
                        ChannelSession s = ch.attr(PeerIdentityHandler.SESSION).get();
                        if (s != null && isRevoked(trust, s.certificateSerial())) {
                            log.warn("{} was revoked; closing its connection", s.describe());
                            s.closeWith(org.hotline.protocol.wire.ErrorCode.NOT_AUTHENTICATED,
                                    "your certificate has been revoked");
                        }
                    }
                }
            }, config.crlCheckInterval().toMillis(), config.crlCheckInterval().toMillis(), TimeUnit.MILLISECONDS);
            housekeeping.scheduleWithFixedDelay(() -> mailbox.purgeDeliveredBefore(clock.instant()
                    .minus(config.retention())).thenAccept(n -> {
                        if (n > 0) {
                            log.info("purged {} delivered rows older than {}", n, config.retention());
                        }
                    }), 1, 60, TimeUnit.MINUTES);
            return rs;
        } catch (Exception e) {
            boss.shutdownGracefully();
            workers.shutdownGracefully();
            housekeeping.shutdownNow();
            mailbox.close();
            audit.close();
            throw e;
        }
    }

    private static boolean isRevoked(TrustState trust, String serialHex) {
        var crl = trust.validator().crl();
        return crl.getRevokedCertificate(new BigInteger(serialHex, 16)) != null;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    public Relay relay() {
        return relay;
    }

    /**
     * Clean shutdown: stop accepting, close connections, let the mailbox commit what it already
     * queued, release everything. Safe to call twice.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        serverChannel.close().syncUninterruptibly();
        children.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        housekeeping.shutdownNow();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        // The mailbox lets its reader finish the reads already queued, then commits what it queued.
        mailbox.close();
        try {
            audit.close();
        } catch (java.io.IOException e) {
            log.error("closing the relay audit log failed: {}", e.getMessage());
        }
        log.info("relay stopped");
    }
}
