package org.hotline.protocol.audit;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One decoded audit-log line (PROTOCOL.md §11.1): the common fields and the entry's own content.
 *
 * @param seq   0 for the first line, +1 per line
 * @param time  the writer's clock when it wrote the line
 * @param prev  SHA-256 of the previous line's bytes (32 zero bytes on line 1)
 * @param event what the entry records
 */
public record AuditEntry(long seq, Instant time, byte[] prev, AuditEvent event) {

    public AuditEntry {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(event, "event");
        if (prev.length != 32) {
            throw new IllegalArgumentException("prev is 32 bytes");
        }
        prev = prev.clone();
    }

    @Override
    public byte[] prev() {
        return prev.clone();
    }

    public String type() {
        return event.type();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuditEntry e && e.seq == seq && e.time.equals(time) && Arrays.equals(e.prev, prev)
                && e.event.equals(event);
    }

    @Override
    public int hashCode() {
        return Objects.hash(seq, time, Arrays.hashCode(prev), event);
    }

    @Override
    public String toString() {
        return "AuditEntry[seq=" + seq + ", time=" + time + ", type=" + event.type() + "]";
    }
}
