package org.hotline.server.store;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * The process {@link SqliteMailboxDeliveredCrashTest} kills: stores messages {@code first},
 * {@code first + 1}, ... for pk.pm, marks every even one delivered once it is stored, and prints
 * "stored N" / "delivered N" only after the commit that holds it (the futures complete after the
 * group commit), many writes in flight so the kill lands inside commits.
 */
final class MailboxCrashChild {

    private MailboxCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int first = Integer.parseInt(args[1]);
        SqliteMailbox mailbox = SqliteMailbox.open(dir, 64, Clock.systemUTC());
        Semaphore inFlight = new Semaphore(32);
        System.out.println("open");
        for (int n = first; ; n++) {
            inFlight.acquire();
            int message = n;
            Envelope e = SqliteMailboxDeliveredCrashTest.envelope(message);
            CompletableFuture<?> done = mailbox.append(e, Integer.MAX_VALUE, Long.MAX_VALUE).thenCompose(r -> {
                System.out.println("stored " + message);
                if (message % 2 != 0) {
                    return CompletableFuture.completedFuture(null);
                }
                return mailbox.markDelivered(e.messageId(), "pk.pm",
                        SqliteMailboxDeliveredCrashTest.delivered(e.messageId()), Instant.now())
                        .thenAccept(o -> System.out.println("delivered " + message));
            });
            done.whenComplete((r, t) -> {
                if (t != null) {
                    System.out.println("failed " + message + " " + t);
                }
                inFlight.release();
            });
        }
    }
}
