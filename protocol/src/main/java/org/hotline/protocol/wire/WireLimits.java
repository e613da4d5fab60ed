package org.hotline.protocol.wire;

/** Hard upper bounds on every variable-length field (PROTOCOL.md §2.3). Decoders refuse anything larger. */
public final class WireLimits {

    /** Default maximum frame size (bytes after the length prefix); relays may configure lower or higher. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 256 * 1024;
    /** Absolute ceiling for any configured frame size. */
    public static final int ABSOLUTE_MAX_FRAME_BYTES = 16 * 1024 * 1024;

    public static final int MAX_NAME_BYTES = 64;
    /** 8 recipients x (16 KiB text + 1.1 KiB encapsulation + overhead) still fits the default frame. */
    public static final int MAX_RECIPIENTS = 8;
    public static final int MAX_TEXT_BYTES = 16 * 1024;
    public static final int MAX_PARAMS = 16;
    public static final int MAX_PARAM_VALUE_BYTES = 1024;
    public static final int MAX_ERROR_TEXT_BYTES = 1024;
    public static final int MAX_SIGNED_MESSAGE_BYTES = 64 * 1024;
    public static final int MAX_SEALED_BYTES = MAX_SIGNED_MESSAGE_BYTES + 64;
    public static final int MAX_PREKEYS_PER_FRAME = 8;
    public static final int MAX_RECEIPT_BYTES = 1024;
    /**
     * Message ids in one cumulative receipt (PROTOCOL.md §6.1): a recipient covering more counters
     * at once signs one receipt per 256. Bounds the receipt to 4 447 bytes.
     */
    public static final int MAX_CUMULATIVE_IDS = 256;
    /** A cumulative receipt carried in a frame ({@code DELIVERED_THROUGH}); the layout bounds it to 4 447. */
    public static final int MAX_CUMULATIVE_RECEIPT_BYTES = 8192;
    /**
     * Hashes in one inclusion or consistency proof (PROTOCOL.md §12): an inclusion proof in a tree
     * of at most 2^63 - 1 leaves has at most 63, a consistency proof at most 2 x 63.
     */
    public static final int MAX_PROOF_HASHES = 128;
    /** Bytes of one signed relay checkpoint (a C2SP signed note, §12.2). */
    public static final int MAX_CHECKPOINT_BYTES = 4096;

    private WireLimits() {
    }
}
