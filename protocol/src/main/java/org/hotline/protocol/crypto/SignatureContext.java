package org.hotline.protocol.crypto;

import java.nio.charset.StandardCharsets;

/**
 * Domain-separation strings prepended (with a terminating NUL) to every signed input, so a
 * signature made for one purpose can never be replayed as another (PROTOCOL.md §4.4).
 */
public enum SignatureContext {
    MESSAGE("hotline/v1 message"),
    RECEIPT("hotline/v1 receipt"),
    SIGNED_PREKEY("hotline/v1 signed-prekey"),
    AUDIT_CHECKPOINT("hotline/v1 audit-checkpoint");

    private final String label;

    SignatureContext(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The label's ASCII bytes followed by one 0x00 byte. */
    byte[] prefix() {
        byte[] l = label.getBytes(StandardCharsets.US_ASCII);
        byte[] p = new byte[l.length + 1];
        System.arraycopy(l, 0, p, 0, l.length);
        return p;
    }
}
