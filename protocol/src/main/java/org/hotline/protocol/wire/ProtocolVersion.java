package org.hotline.protocol.wire;

/** The one protocol version this build speaks, and how a received version is classified (PROTOCOL.md §8). */
public final class ProtocolVersion {

    public static final int CURRENT = 1;
    /** The oldest version still accepted. Raising it retires old peers with a distinct "too old" error. */
    public static final int MINIMUM = 1;

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
}
