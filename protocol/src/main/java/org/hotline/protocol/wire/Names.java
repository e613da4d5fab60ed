package org.hotline.protocol.wire;

/** Syntax of role and channel names: lowercase ASCII, digits, '.', '-' (e.g. {@code in.pm}, {@code leaders}). */
public final class Names {

    private Names() {
    }

    /** Whether {@code name} matches {@code [a-z][a-z0-9.-]{0,62}}. */
    public static boolean isValid(String name) {
        // The pattern's test written out: it runs for every name of every frame a relay decodes.
        if (name == null || name.isEmpty() || name.length() > 63) {
            return false;
        }
        char first = name.charAt(0);
        if (first < 'a' || first > 'z') {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '-')) {
                return false;
            }
        }
        return true;
    }

    /** Throws {@link IllegalArgumentException} for a programmer-supplied invalid name. */
    public static String require(String name, String what) {
        if (!isValid(name)) {
            throw new IllegalArgumentException("invalid " + what + " name: " + name);
        }
        return name;
    }

    /** Reads a name field from untrusted bytes. */
    public static String read(WireReader in, String field) throws FrameDecodeException {
        String s = in.string(WireLimits.MAX_NAME_BYTES, field);
        if (!isValid(s)) {
            throw WireReader.malformed(field, "not a valid role or channel name");
        }
        return s;
    }
}
