import java.nio.file.*;
import java.time.*;
import java.util.*;
import org.hotline.server.store.*;
import org.hotline.protocol.wire.*;

/** Builds a schema-3 mailbox.db with the v3 relay code (main at a94d8a0): the migration fixture. */
public class GenV3 {
    static final Instant NOW = Instant.parse("2026-05-10T14:00:00Z");
    static MessageId id(int n) { byte[] b = new byte[16]; Arrays.fill(b, (byte) n); return MessageId.of(b); }
    static Receipt receipt(Receipt.Type t, MessageId id, String asserter, Hash32 subject, Optional<Receipt.RejectReason> r) {
        Receipt.Fields f = r.isPresent()
            ? new Receipt.Fields(t, ExerciseId.of(new byte[32]), id, asserter, "in.pm", "leaders", NOW, subject, r)
            : new Receipt.Fields(t, ExerciseId.of(new byte[32]), id, asserter, "in.pm", "leaders", NOW, subject);
        return Receipt.of(f, new byte[64]);
    }
    static Envelope envelope(MessageId id, byte fill, Instant at, String... recipients) {
        List<SealedBox> boxes = new ArrayList<>();
        for (String r : recipients) {
            byte[] ct = new byte[1024]; Arrays.fill(ct, fill);
            byte[] enc = new byte[1120]; Arrays.fill(enc, (byte) (fill + 100));
            boxes.add(new SealedBox(r, 7, enc, ct));
        }
        return new Envelope(id, "in.pm", "leaders", at, boxes, new byte[] {fill},
            receipt(Receipt.Type.ACCEPTED, id, "relay", Hash32.ZERO, Optional.empty()));
    }
    public static void main(String[] a) throws Exception {
        Path dir = Paths.get(a[0]);
        Files.createDirectories(dir);
        SqliteMailbox m = SqliteMailbox.open(dir, 64, Clock.systemUTC());
        // m1 pending for pk.pm; m2 to pk.pm (delivered) and control (pending); m3 rejected by pk.pm;
        // m5 delivered and purged (the highest seq handed out, then removed); a receipt pending for in.pm.
        System.out.println(m.append(envelope(id(1), (byte) 1, NOW, "pk.pm"), 100, 1 << 24).get());
        System.out.println(m.append(envelope(id(2), (byte) 2, NOW.plusSeconds(1), "pk.pm", "control"), 100, 1 << 24).get());
        Envelope e3 = envelope(id(3), (byte) 3, NOW.plusSeconds(2), "pk.pm");
        System.out.println(m.append(e3, 100, 1 << 24).get());
        Instant old = Instant.parse("2026-05-01T00:00:00Z");
        System.out.println(m.append(envelope(id(5), (byte) 5, old, "pk.pm"), 100, 1 << 24).get());
        System.out.println(m.markDelivered(id(2), "pk.pm", receipt(Receipt.Type.DELIVERED, id(2), "pk.pm", Hash32.ZERO, Optional.empty()), NOW.plusSeconds(10)).get());
        Hash32 copy3 = org.hotline.protocol.crypto.Hashes.copyHash(e3.boxes().get(0), e3.acceptedAt());
        System.out.println(m.markDelivered(id(3), "pk.pm", receipt(Receipt.Type.REJECTED, id(3), "pk.pm", copy3, Optional.of(Receipt.RejectReason.DECRYPTION_FAILED)), NOW.plusSeconds(11)).get());
        System.out.println(m.markDelivered(id(5), "pk.pm", receipt(Receipt.Type.DELIVERED, id(5), "pk.pm", Hash32.ZERO, Optional.empty()), old.plusSeconds(1)).get());
        System.out.println(m.purgeDeliveredBefore(Instant.parse("2026-05-02T00:00:00Z")).get());
        System.out.println("log size " + m.relayLog().get().size());
        m.close();
    }
}
