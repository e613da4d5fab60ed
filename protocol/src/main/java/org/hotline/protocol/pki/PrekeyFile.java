package org.hotline.protocol.pki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.hotline.protocol.crypto.PrekeyPair;
import org.hotline.protocol.crypto.KeyFormats;
import org.hotline.protocol.wire.FrameDecodeException;
import org.hotline.protocol.wire.SignedPrekeyBytes;

/**
 * A client's rotating prekeys at rest: a PKCS#12 file (same protection as the role credential,
 * PBES2/AES-256, under the role's passphrase) holding one prekey secret bag per prekey. Rewritten
 * whole on every rotation; an erased prekey is simply no longer written.
 */
public final class PrekeyFile {

    private PrekeyFile() {
    }

    public static void write(Path file, char[] passphrase, List<PrekeyPair> prekeys, int iterations,
                             SecureRandom random) throws IOException {
        List<Pkcs12File.PrekeyEntry> entries = new ArrayList<>();
        for (PrekeyPair p : prekeys) {
            entries.add(new Pkcs12File.PrekeyEntry(KeyFormats.prekeyPrivateKeyInfo(p),
                    p.signed().encode()));
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Pkcs12File.write(file, passphrase, List.of(), entries, List.of(), iterations, random);
    }

    /** @return the stored prekeys, or an empty list if the file does not exist yet */
    public static List<PrekeyPair> read(Path file, char[] passphrase) throws PkiException {
        if (!Files.exists(file)) {
            return List.of();
        }
        Pkcs12File.Contents c = Pkcs12File.read(file, passphrase, "prekey store");
        List<PrekeyPair> out = new ArrayList<>();
        for (Pkcs12File.PrekeyEntry e : c.prekeys()) {
            try {
                out.add(KeyFormats.prekeyPair(SignedPrekeyBytes.decode(e.signedPrekey()), e.key()));
            } catch (IOException | FrameDecodeException | IllegalArgumentException ex) {
                throw new PkiException(PkiException.Reason.MALFORMED, "prekey store " + file
                        + " holds an unreadable prekey"
                        + (ex instanceof FrameDecodeException ? " (" + ex.getMessage() + ")" : ""));
            }
        }
        return out;
    }
}
