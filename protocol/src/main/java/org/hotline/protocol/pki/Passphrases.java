package org.hotline.protocol.pki;

import java.security.SecureRandom;

/** Generated passphrases: 24 characters from a 32-symbol alphabet without look-alikes (120 bits), in groups of 4. */
public final class Passphrases {

    private static final char[] ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();

    private Passphrases() {
    }

    public static char[] generate(SecureRandom random) {
        char[] out = new char[29];
        int o = 0;
        for (int i = 0; i < 24; i++) {
            if (i > 0 && i % 4 == 0) {
                out[o++] = '-';
            }
            out[o++] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return out;
    }
}
