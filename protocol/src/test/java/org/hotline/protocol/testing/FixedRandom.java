package org.hotline.protocol.testing;

import java.security.SecureRandom;

/**
 * A SecureRandom that hands out exactly the given bytes, in order, then fails: for known-answer
 * vectors, where the randomness a primitive consumes must be written down and replayed. Test code only.
 */
public final class FixedRandom extends SecureRandom {

    private final byte[] bytes;
    private int position;

    public FixedRandom(byte[]... chunks) {
        int n = 0;
        for (byte[] c : chunks) {
            n += c.length;
        }
        bytes = new byte[n];
        int o = 0;
        for (byte[] c : chunks) {
            System.arraycopy(c, 0, bytes, o, c.length);
            o += c.length;
        }
    }

    @Override
    public void nextBytes(byte[] out) {
        if (position + out.length > bytes.length) {
            throw new IllegalStateException("fixed randomness exhausted");
        }
        System.arraycopy(bytes, position, out, 0, out.length);
        position += out.length;
    }

    public boolean exhausted() {
        return position == bytes.length;
    }
}
