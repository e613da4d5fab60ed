package org.hotline.protocol.wire;

/** The protocol version this build speaks, and how a received version is classified (PROTOCOL.md §8). */
public final class ProtocolVersion {

    public static final int CURRENT = 2;
    /** The oldest version still accepted. Raising it retires old peers with a distinct "too old" error. */
    public static final int MINIMUM = 2;
    /**
     * The version before {@link #MINIMUM}: refused everywhere on the wire, but its signed messages and
     * receipts are still read, read-only, from records written under it (audit logs), see
     * {@link SignedMessage#decodeRecorded} and {@link Receipt#decodeRecorded} (PROTOCOL.md §8.1).
     */
    public static final int LEGACY_V1 = 1;

    private ProtocolVersion() {
    }

    public static void check(int version, String what) throws FrameDecodeException {
        if (version < MINIMUM) {
            throw new FrameDecodeException(FrameDecodeException.Reason.VERSION_TOO_OLD,
                    what + " version " + version + " is too old (minimum " + MINIMUM + ")");
        }
        if (version > CURRENT) {
            throw new FrameDecodeException(FrameDecodeException.Reason.VERSION_UNKNOWN,
                    what + " version " + version + " is unknown (this build speaks up to " + CURRENT + ")");
        }
    }

    /**
     * The check for a signed object read from a record (an audit log) rather than from a peer:
     * {@link #LEGACY_V1} is accepted as well, everything else as {@link #check}.
     *
     * @return the version read
     */
    static int checkRecorded(int version, String what) throws FrameDecodeException {
        if (version != LEGACY_V1) {
            check(version, what);
        }
        return version;
    }
}
