package org.hotline.client.core.engine;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hotline.protocol.crypto.CryptoException;
import org.hotline.protocol.crypto.IdentityPublicKey;
import org.hotline.protocol.crypto.MessageSigner;
import org.hotline.protocol.pki.CertificatePurpose;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.pki.IdentityKeyCache;
import org.hotline.protocol.pki.PeerIdentity;
import org.hotline.protocol.pki.PkiException;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SignedMessage;

/**
 * Verifies a delivered message against the sender certificate that was valid when the relay
 * accepted it (PROTOCOL.md §4.4, "Revoked senders"). A revocation does not make earlier signatures
 * false: a message the relay accepted before the sender's certificate was revoked is accepted and
 * flagged with the revocation date; one accepted at or after it is refused for that reason
 * ({@link Receipt.RejectReason#SENDER_REVOKED}), naming the certificate, not as a bad signature.
 * After a reissue the message may be signed by the replaced key: the certificates a reissue kept
 * ({@code identities/previous/<role>/}) are tried too, so such a message is identified as signed
 * with the old, revoked key rather than reported as a forgery. Such a certificate is revoked by
 * definition: if the loaded CRL does not list it (the facilitator's new CRL is written after the
 * certificates), the CRL is read again; if it still does not, the message is not judged yet (no
 * receipt, delivered again later), never accepted as if the key were still the sender's. Before any
 * message is judged, the CRL is read again if its file changed since it was loaded.
 *
 * <p>The time judged is {@code DELIVER.acceptedAt}: the relay's clock when it stored the message,
 * carried over the relay's mutually authenticated TLS connection. The sender signs its header
 * time but cannot choose this one, so a revoked key holder cannot backdate past the revocation
 * without the relay's cooperation (THREAT_MODEL.md A5). Every other check of a certificate
 * (issuer, validity period now, purpose, role) is applied as for any sender. Engine thread only:
 * it reads certificate files.
 */
final class SenderCertificates {

    /**
     * Who signed a message.
     *
     * @param signer       the certificate whose key verified the signature
     * @param revokedSince when that certificate was revoked, if it was (the relay accepted the
     *                     message before then)
     */
    record Verified(IdentityKeyCache.Identity signer, Optional<Instant> revokedSince) {
    }

    private final PeerTrust trust;
    private final ExerciseId exerciseId;
    private final Clock clock;

    SenderCertificates(PeerTrust trust, ExerciseId exerciseId, Clock clock) {
        this.trust = trust;
        this.exerciseId = exerciseId;
        this.clock = clock;
    }

    /**
     * Verifies {@code m}, accepted by the relay at {@code acceptedAt}.
     *
     * @throws Rejections.Refused if it is signed under a certificate revoked at or before
     *     {@code acceptedAt} ({@code SENDER_REVOKED})
     * @throws CryptoException if the signature verifies under none of the sender's certificates, or
     *     the message is of another exercise
     * @throws PkiException if the sender has no certificate that is valid apart from revocation
     * @throws Rejections.NotYetJudgeable if it is signed with a replaced key the CRL does not list yet
     */
    Verified verify(SignedMessage m, Instant acceptedAt)
            throws Rejections.Refused, Rejections.NotYetJudgeable, CryptoException, PkiException {
        return verify(m, acceptedAt, Optional.empty());
    }

    /**
     * As {@link #verify(SignedMessage, Instant)}, where {@code m} already passed
     * {@link MessageSigner#verify} under {@code verifiedUnder} ({@link DeliveryPrefetch}): that
     * check is not repeated if it is the key of the certificate judged now; every other step is.
     */
    Verified verify(SignedMessage m, Instant acceptedAt, Optional<IdentityPublicKey> verifiedUnder)
            throws Rejections.Refused, Rejections.NotYetJudgeable, CryptoException, PkiException {
        try {
            trust.reloadIfCrlChanged();
        } catch (PkiException unreadable) {
            // A CRL caught mid-write, or broken: judge with the one loaded (the stamp is kept, so it is
            // read again before the next message; a reload at WELCOME reports the failure). A replaced
            // key is still never accepted unflagged (judgeRevoked).
        }
        String sender = m.header().sender();
        IdentityKeyCache.Identity current;
        try {
            current = trust.identity(sender);
        } catch (PkiException e) {
            if (e.reason() != PkiException.Reason.REVOKED) {
                throw e;
            }
            return judgeRevoked(m, acceptedAt, e);
        }
        try {
            if (verifiedUnder.isEmpty() || !verifiedUnder.get().equals(current.key())) {
                MessageSigner.verify(m, current.key(), exerciseId);
            }
            return new Verified(current, Optional.empty());
        } catch (CryptoException e) {
            if (e.reason() != CryptoException.Reason.BAD_SIGNATURE) {
                throw e;
            }
            // Not the current key: perhaps the one a reissue replaced.
            return judgeRevoked(m, acceptedAt, e);
        }
    }

    /**
     * The certificate of the sender, current file first, then those a reissue replaced, whose key
     * verifies {@code m}, judged by its revocation date against {@code acceptedAt}; else
     * {@code failure} (the revocation or bad signature the usual check found), or a bad signature if
     * the sender has valid certificates none of whose keys verifies it.
     */
    private Verified judgeRevoked(SignedMessage m, Instant acceptedAt, Exception failure)
            throws Rejections.Refused, Rejections.NotYetJudgeable, CryptoException, PkiException {
        String sender = m.header().sender();
        CertificateValidator validator = trust.validator();
        Instant now = clock.instant();
        List<X509Certificate> candidates = new ArrayList<>();
        candidates.add(trust.directory().identityCertificateOf(sender));
        candidates.addAll(trust.directory().previousIdentityCertificatesOf(sender));
        boolean anyValid = false;
        for (int i = 0; i < candidates.size(); i++) {
            X509Certificate cert = candidates.get(i);
            PeerIdentity id;
            try {
                id = validator.validateExceptRevocation(cert, CertificatePurpose.IDENTITY, now);
            } catch (PkiException notTheSendersNow) {
                continue;
            }
            if (!id.role().equals(sender)) {
                continue;
            }
            anyValid = true;
            IdentityPublicKey key = CertificateValidator.identityKeyOf(cert);
            try {
                MessageSigner.verify(m, key, exerciseId);
            } catch (CryptoException e) {
                if (e.reason() == CryptoException.Reason.BAD_SIGNATURE) {
                    continue;
                }
                throw e;
            }
            Optional<Instant> revoked = validator.revokedAt(cert);
            if (i > 0 && revoked.isEmpty()) {
                // A certificate a reissue replaced is revoked by definition; the CRL that says since
                // when may not have been loaded yet (PROTOCOL.md §4.4).
                revoked = revocationOfReplaced(cert);
            }
            IdentityKeyCache.Identity signer = new IdentityKeyCache.Identity(key, cert);
            if (revoked.isEmpty() || acceptedAt.isBefore(revoked.get())) {
                return new Verified(signer, revoked);
            }
            throw new Rejections.Refused(Receipt.RejectReason.SENDER_REVOKED, "signed with " + sender + "'s "
                    + (i == 0 ? "" : "previous ") + "certificate (serial " + id.serialHex() + ") revoked on "
                    + revoked.get() + "; the relay accepted it at " + acceptedAt + ", after the revocation");
        }
        if (anyValid && failure instanceof PkiException) {
            throw new CryptoException(CryptoException.Reason.BAD_SIGNATURE, "bad signature on message "
                    + m.header().messageId().shortForm() + " claimed from " + sender + ": it verifies under none of "
                    + sender + "'s certificates");
        }
        if (failure instanceof PkiException p) {
            throw p;
        }
        throw (CryptoException) failure;
    }

    /** The revocation date of a replaced certificate from the CRL read again now, if it lists it. */
    private Optional<Instant> revocationOfReplaced(X509Certificate cert) throws Rejections.NotYetJudgeable {
        Optional<Instant> revoked = Optional.empty();
        try {
            trust.reload();
            revoked = trust.validator().revokedAt(cert);
        } catch (PkiException unreadable) {
            // As if not listed: judged again on the next delivery.
        }
        if (revoked.isEmpty()) {
            throw new Rejections.NotYetJudgeable("signed with a certificate that a reissue replaced (serial "
                    + cert.getSerialNumber().toString(16) + "), which the CRL does not list yet");
        }
        return revoked;
    }
}
