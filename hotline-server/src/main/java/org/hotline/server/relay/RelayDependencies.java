package org.hotline.server.relay;

import java.time.Clock;
import java.util.Objects;
import java.util.function.Predicate;
import org.hotline.protocol.audit.AuditLog;
import org.hotline.protocol.crypto.IdentityKeyPair;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.pki.ExerciseDirectory;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.server.config.RelayConfig;
import org.hotline.server.store.Mailbox;

/**
 * What the relay logic is built from. Build it by name with {@link #builder()}; every part is
 * required.
 *
 * @param exercise      roles, channels and the channel policy
 * @param directory     the exercise directory: initial prekeys
 * @param config        limits (frame size, queue sizes)
 * @param mailbox       the durable store; the relay never closes it
 * @param relayIdentity signs the relay's {@code accepted} receipts
 * @param exerciseId    the exercise every receipt and prekey must name (PROTOCOL.md §2.2)
 * @param identities    roles' identity keys, to verify their receipts and prekeys
 * @param clock         the time of receipts, WELCOME and expiry checks
 * @param audit         the relay's audit log, written only through {@link RelayAudit}
 * @param revokedSerial whether a certificate serial (hex) is revoked by the current CRL
 * @param relayName     this relay's name, the asserter of its receipts and its log's origin
 *                      ({@code relay}, or e.g. {@code relay-in} in a multi-relay exercise, PROTOCOL.md §13)
 */
public record RelayDependencies(Exercise exercise, ExerciseDirectory directory, RelayConfig config, Mailbox mailbox,
                                IdentityKeyPair relayIdentity, ExerciseId exerciseId, IdentityDirectory identities,
                                Clock clock, AuditLog audit, Predicate<String> revokedSerial, String relayName) {
    public RelayDependencies {
        if (!org.hotline.protocol.wire.Receipt.isRelayName(relayName)) {
            throw new IllegalArgumentException("not a relay name: " + relayName);
        }
        Objects.requireNonNull(exercise, "exercise");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(relayIdentity, "relayIdentity");
        Objects.requireNonNull(exerciseId, "exerciseId");
        Objects.requireNonNull(identities, "identities");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(revokedSerial, "revokedSerial");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Names each part at the call site; {@link #build()} fails on a missing one. */
    public static final class Builder {
        private Exercise exercise;
        private ExerciseDirectory directory;
        private RelayConfig config;
        private Mailbox mailbox;
        private IdentityKeyPair relayIdentity;
        private ExerciseId exerciseId;
        private IdentityDirectory identities;
        private Clock clock;
        private AuditLog audit;
        private Predicate<String> revokedSerial;
        private String relayName = org.hotline.protocol.wire.Receipt.RELAY;

        private Builder() {
        }

        public Builder exercise(Exercise exercise, ExerciseDirectory directory) {
            this.exercise = exercise;
            this.directory = directory;
            return this;
        }

        public Builder config(RelayConfig config) {
            this.config = config;
            return this;
        }

        public Builder mailbox(Mailbox mailbox) {
            this.mailbox = mailbox;
            return this;
        }

        public Builder relayIdentity(IdentityKeyPair relayIdentity) {
            this.relayIdentity = relayIdentity;
            return this;
        }

        /** The relay's exercise: SHA-256 of the CA certificate ({@code RelayCredential.exerciseId()}). */
        public Builder exerciseId(ExerciseId exerciseId) {
            this.exerciseId = exerciseId;
            return this;
        }

        public Builder identities(IdentityDirectory identities) {
            this.identities = identities;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder audit(AuditLog audit) {
            this.audit = audit;
            return this;
        }

        public Builder revokedSerial(Predicate<String> revokedSerial) {
            this.revokedSerial = revokedSerial;
            return this;
        }

        /** The relay's name (its credential's CN); {@code relay} unless set. */
        public Builder relayName(String relayName) {
            this.relayName = relayName;
            return this;
        }

        /** @throws NullPointerException naming the first part not set */
        public RelayDependencies build() {
            return new RelayDependencies(exercise, directory, config, mailbox, relayIdentity, exerciseId, identities,
                    clock, audit, revokedSerial, relayName);
        }
    }
}
