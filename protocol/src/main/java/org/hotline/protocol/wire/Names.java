package org.hotline.protocol.wire;

import java.util.regex.Pattern;

/** Syntax of role and channel names: lowercase ASCII, digits, '.', '-' (e.g. {@code in.pm}, {@code leaders}). */
public final class Names {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9.-]{0,62}");

    private Names() {
    }

    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches();
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
