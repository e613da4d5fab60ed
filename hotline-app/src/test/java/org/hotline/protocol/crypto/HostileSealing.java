package org.hotline.protocol.crypto;

import java.security.SecureRandom;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.SealedBox;
import org.hotline.protocol.wire.SignedMessage;

/**
 * For hostile-relay tests only: seals a signed message under envelope fields of the caller's
 * choosing, which {@link MessageSealer#seal} never does (it takes them from the signed header). A
 * relay that also holds a sender's signing key (a sender and relay working together) can build such
 * a box; the recipient must still refuse it (PROTOCOL.md §5: ENVELOPE_MISMATCH).
 */
public final class HostileSealing {

    private HostileSealing() {
    }

    /** One box for {@code prekey}'s role whose AAD names the given envelope, not the header's. */
    public static SealedBox sealUnder(SignedMessage message, MessageId envelopeId, String envelopeSender,
                                      String envelopeChannel, VerifiedPrekey prekey) {
        return MessageSealer.sealOne(message.encode(), envelopeId, envelopeSender, envelopeChannel, prekey,
                new SecureRandom());
    }
}
