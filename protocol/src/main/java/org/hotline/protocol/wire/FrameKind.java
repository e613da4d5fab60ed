package org.hotline.protocol.wire;

/** Frame kind bytes (PROTOCOL.md §3). The numbers are part of the wire format. */
public enum FrameKind {
    HELLO(0x01),
    WELCOME(0x02),
    PREKEY_UPLOAD(0x10),
    PREKEY_FETCH(0x11),
    PREKEY_BUNDLE(0x12),
    SEND(0x20),
    ACCEPTED(0x21),
    DELIVER(0x22),
    DELIVERY_ACK(0x23),
    RECEIPT(0x24),
    RECEIPT_ACK(0x25),
    /** ACCEPTED with the message's place in the relay's log: leaf index, inclusion proof, signed checkpoint. */
    ACCEPTED_IN_LOG(0x26),
    /** A recipient's cumulative {@code delivered-through} receipt, to the relay and forwarded to the sender. */
    DELIVERED_THROUGH(0x27),
    ERROR(0x30),
    PING(0x40),
    PONG(0x41),
    LOG_CONSISTENCY_FETCH(0x50),
    LOG_CONSISTENCY(0x51);

    private static final FrameKind[] BY_CODE = new FrameKind[256];

    static {
        for (FrameKind k : values()) {
            BY_CODE[k.code] = k;
        }
    }

    private final int code;

    FrameKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    static FrameKind fromCode(int code) throws FrameDecodeException {
        FrameKind k = BY_CODE[code & 0xff];
        if (k == null) {
            throw new FrameDecodeException(FrameDecodeException.Reason.UNKNOWN_KIND,
                    String.format("unknown frame kind 0x%02x", code));
        }
        return k;
    }
}
