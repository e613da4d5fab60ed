package org.hotline.protocol.crypto;

import java.nio.charset.StandardCharsets;

/**
 * Domain-separation strings prepended (with a terminating NUL) to every signed input, so a
 * signature made for one purpose or protocol version can never be replayed as another
 * (PROTOCOL.md §4.4). The {@code LEGACY_V1_*} contexts only verify objects read from old records
 * (§8.1); {@link IdentityKeyPair#sign} refuses them, so nothing new is ever signed as version 1.
 */
public enum SignatureContext {
    MESSAGE("hotline/v2 message", true),
    RECEIPT("hotline/v2 receipt", true),
    /** A recipient's cumulative {@code delivered-through} receipt (PROTOCOL.md §6.1). */
    CUMULATIVE_RECEIPT("hotline/v2 cumulative receipt", true),
    SIGNED_PREKEY("hotline/v2 signed-prekey", true),
    /** A recipient's reading of a message (PROTOCOL.md §4.2, Reading). */
    READING("hotline/v2 reading", true),
    /**
     * The relay's signed answer to a consistency fetch (PROTOCOL.md §12.4): both checkpoint texts
     * and the proof between them, so that a failing proof it signed is evidence against it.
     */
    RELAY_LOG_CONSISTENCY("hotline/v2 relay-log-consistency", true),
    /** Unchanged in version 2: the checkpoint format is the audit log's (§11.2), versioned with it. */
    AUDIT_CHECKPOINT("hotline/v1 audit-checkpoint", true),
    /** An evaluator's note in exercise control's audit log (§11.3), versioned with the log format like the checkpoint. */
    EVALUATOR_NOTE("hotline/v1 evaluator-note", true),
    LEGACY_V1_MESSAGE("hotline/v1 message", false),
    LEGACY_V1_RECEIPT("hotline/v1 receipt", false);

    private final String label;
    private final boolean signable;

    SignatureContext(String label, boolean signable) {
        this.label = label;
        this.signable = signable;
    }

    public String label() {
        return label;
    }

    /** False for the version-1 contexts, which are only verified, never signed. */
    public boolean signable() {
        return signable;
    }

    /** The label's ASCII bytes followed by one 0x00 byte. */
    byte[] prefix() {
        byte[] l = label.getBytes(StandardCharsets.US_ASCII);
        byte[] p = new byte[l.length + 1];
        System.arraycopy(l, 0, p, 0, l.length);
        return p;
    }
}
