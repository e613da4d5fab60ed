package org.hotline.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.generators.MLKEMKeyPairGenerator;
import org.bouncycastle.crypto.kems.MLKEMExtractor;
import org.bouncycastle.crypto.kems.MLKEMGenerator;
import org.bouncycastle.crypto.params.MLKEMKeyGenerationParameters;
import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.crypto.params.MLKEMPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLKEMPublicKeyParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.bouncycastle.crypto.prng.FixedSecureRandom;
import org.hotline.protocol.crypto.internal.Ed25519;
import org.hotline.protocol.crypto.internal.XWingHpke;
import org.hotline.protocol.testing.Messages;
import org.hotline.protocol.wire.SignedPrekeyBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Project Wycheproof's Ed25519, X25519 and ML-KEM-768 vectors (copied with their licence into
 * {@code src/test/resources/org/hotline/protocol/crypto/wycheproof/}, see the README there) run
 * against the crypto facade, and where the facade has no entry point for the operation a vector
 * needs, against the narrowest adapter below it:
 *
 * <ul>
 *   <li>Ed25519: keys are decoded by {@link IdentityPublicKey#of}; signatures are checked with
 *       {@link Ed25519#verify} and an empty context, because the facade always prepends a
 *       {@link SignatureContext} and the vectors sign bare messages.</li>
 *   <li>X25519 and ML-KEM-768 exist in this code base only as the two halves of X-Wing inside
 *       BouncyCastle. Accept/reject decisions are checked through the facade
 *       ({@link VerifiedPrekey#verify} for public keys, {@link XWingHpke#open} for ciphertexts,
 *       {@link PrekeyPair#restore} for private keys). Computed values (shared secrets, keys derived
 *       from FIPS 203 seeds, ciphertexts) are checked on the BouncyCastle classes that BouncyCastle's
 *       X-Wing itself calls ({@code X25519Agreement}, {@code MLKEMKeyPairGenerator} fed d||z,
 *       {@code MLKEMGenerator} fed m, {@code MLKEMExtractor}), since X-Wing hashes them into its
 *       shared secret and derives its ML-KEM seed from its own 32-byte seed.</li>
 * </ul>
 *
 * <p>Acceptable X25519 vectors: low-order public points are refused by the facade (a prekey with
 * such a point fails verification with {@code BAD_PREKEY}); all other acceptable flags (twist points,
 * non-canonical u, special and small values) are accepted with the RFC 7748 result.
 */
@Timeout(120)
class WycheproofVectorsTest {

    private static final String DIR = "/org/hotline/protocol/crypto/wycheproof/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();
    private static final Instant NOW = Instant.parse("2026-05-10T14:00:00Z");
    private static final byte[] NO_CONTEXT = new byte[0];
    private static final int MLKEM_CIPHERTEXT_BYTES = 1088;

    private final IdentityKeyPair owner = IdentityKeyPair.generate(new SecureRandom());

    @Test
    void ed25519_everyValidSignatureVerifies_everyInvalidIsRejected() throws Exception {
        Tally tally = new Tally();
        for (JsonNode group : load("ed25519_test.json").get("testGroups")) {
            byte[] pk = hex(group.get("publicKey"), "pk");
            IdentityPublicKey key = IdentityPublicKey.of(pk);
            assertThat(key.encoded()).isEqualTo(pk);
            Ed25519.VerifyingKey verifying = Ed25519.verifyingKey(pk);
            for (JsonNode t : group.get("tests")) {
                boolean verified = Ed25519.verify(verifying, hex(t, "sig"), NO_CONTEXT, hex(t, "msg"));
                tally.record(t, verified);
            }
        }
        tally.assertAllAsExpected();
        assertThat(tally.counts()).isEqualTo("valid 88/88, invalid 63/63, acceptable 0/0");
    }

    /** Wycheproof does not tell the two equations apart; these vectors do (PROTOCOL.md §4.4). */
    @Test
    void ed25519_verificationIsCofactored_andTorsionPublicKeysAreRefused() throws Exception {
        JsonNode v;
        try (InputStream in = WycheproofVectorsTest.class.getResourceAsStream(
                "/org/hotline/protocol/crypto/ed25519_equation.json")) {
            v = JSON.readTree(in);
        }
        byte[] pk = hex(v, "publicKey");
        Ed25519.VerifyingKey key = Ed25519.verifyingKey(pk);
        int mixedOrSmallR = 0;
        for (JsonNode s : v.get("signatures")) {
            assertThat(Ed25519.verify(key, hex(s, "sig"), NO_CONTEXT, hex(v, "msg")))
                    .as(s.get("comment").asText()).isEqualTo(s.get("cofactored").asBoolean());
            if (!s.get("cofactorless").asBoolean()) {
                mixedOrSmallR++;
            }
        }
        assertThat(mixedOrSmallR).isEqualTo(2);
        for (JsonNode k : v.get("rejectedPublicKeys")) {
            assertThatThrownBy(() -> IdentityPublicKey.of(hex(k, "pk"))).as(k.get("comment").asText())
                    .isInstanceOfSatisfying(CryptoException.class,
                            e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.MALFORMED));
        }
    }

    @Test
    void x25519_sharedSecretsMatch_lowOrderPointsAreRefusedByPrekeyVerification() throws Exception {
        byte[] validEk = hex(load("mlkem_768_keygen_seed_test.json").get("testGroups").get(0).get("tests").get(0), "ek");
        Tally values = new Tally();
        int lowOrder = 0;
        for (JsonNode group : load("x25519_test.json").get("testGroups")) {
            for (JsonNode t : group.get("tests")) {
                byte[] peer = hex(t, "public");
                boolean isLowOrder = hasFlag(t, "LowOrderPublic");
                Optional<byte[]> shared = x25519(hex(t, "private"), peer);
                values.record(t, shared.map(s -> Arrays.equals(s, hex(t, "shared"))).orElse(false) || isLowOrder);
                if (isLowOrder) {
                    lowOrder++;
                    assertThat(shared).as("tcId %s: all-zero shared secret refused", t.get("tcId")).isEmpty();
                    assertThat(openBox(concat(new byte[MLKEM_CIPHERTEXT_BYTES], peer))).as("tcId %s", t.get("tcId"))
                            .isEmpty();
                }
                Optional<CryptoException.Reason> refused = prekeyRefusal(concat(validEk, peer));
                assertThat(refused).as("tcId %s", t.get("tcId"))
                        .isEqualTo(isLowOrder ? Optional.of(CryptoException.Reason.BAD_PREKEY) : Optional.empty());
            }
        }
        values.assertAllAsExpected();
        assertThat(lowOrder).isEqualTo(31);
        assertThat(values.counts()).isEqualTo("valid 264/264, invalid 0/0, acceptable 254/254");
    }

    @Test
    void mlkem768_keygenFromSeed_matches_andTheKeyIsAcceptedAsAPrekey() throws Exception {
        byte[] x25519Half = validX25519Point();
        Tally tally = new Tally();
        for (JsonNode group : load("mlkem_768_keygen_seed_test.json").get("testGroups")) {
            for (JsonNode t : group.get("tests")) {
                AsymmetricCipherKeyPair kp = mlkemKeyPair(hex(t, "seed"));
                boolean matches = Arrays.equals(((MLKEMPublicKeyParameters) kp.getPublic()).getEncoded(), hex(t, "ek"))
                        && Arrays.equals(((MLKEMPrivateKeyParameters) kp.getPrivate()).getEncoded(), hex(t, "dk"));
                tally.record(t, matches && prekeyRefusal(concat(hex(t, "ek"), x25519Half)).isEmpty());
            }
        }
        tally.assertAllAsExpected();
        assertThat(tally.counts()).isEqualTo("valid 100/100, invalid 0/0, acceptable 0/0");
    }

    @Test
    void mlkem768_encapsulation_matches_andMalformedPublicKeysAreRefusedByPrekeyVerification() throws Exception {
        byte[] x25519Half = validX25519Point();
        Tally tally = new Tally();
        for (JsonNode group : load("mlkem_768_encaps_test.json").get("testGroups")) {
            for (JsonNode t : group.get("tests")) {
                byte[] ek = hex(t, "ek");
                Optional<CryptoException.Reason> refused = prekeyRefusal(concat(ek, x25519Half));
                if (isValid(t)) {
                    SecretWithEncapsulation enc = new MLKEMGenerator(new FixedSecureRandom(hex(t, "m")))
                            .generateEncapsulated(new MLKEMPublicKeyParameters(MLKEMParameters.ml_kem_768, ek));
                    tally.record(t, refused.isEmpty() && Arrays.equals(enc.getEncapsulation(), hex(t, "c"))
                            && Arrays.equals(enc.getSecret(), hex(t, "K")));
                } else {
                    tally.record(t, !refused.equals(Optional.of(CryptoException.Reason.BAD_PREKEY)));
                }
            }
        }
        tally.assertAllAsExpected();
        assertThat(tally.counts()).isEqualTo("valid 133/133, invalid 132/132, acceptable 0/0");
    }

    @Test
    void mlkem768_decapsulation_matches_andMalformedInputsAreRejected() throws Exception {
        byte[] x25519Half = validX25519Point();
        Tally tally = new Tally();
        for (JsonNode group : load("mlkem_768_test.json").get("testGroups")) {
            for (JsonNode t : group.get("tests")) {
                byte[] seed = hex(t, "seed");
                byte[] c = hex(t, "c");
                if (isValid(t)) {
                    AsymmetricCipherKeyPair kp = mlkemKeyPair(seed);
                    byte[] k = new MLKEMExtractor((MLKEMPrivateKeyParameters) kp.getPrivate()).extractSecret(c);
                    tally.record(t, Arrays.equals(((MLKEMPublicKeyParameters) kp.getPublic()).getEncoded(), hex(t, "ek"))
                            && Arrays.equals(k, hex(t, "K")));
                } else if (seed.length != 64) {
                    // Our private keys are 32-byte X-Wing seeds read from our own encrypted store; a
                    // key of any other length is a corrupt store, refused before any decapsulation.
                    assertThat(seed.length).isNotEqualTo(XWingHpke.PRIVATE_KEY_BYTES);
                    assertThatThrownBy(() -> PrekeyPair.restore(ownPrekey(), seed))
                            .isExactlyInstanceOf(IllegalArgumentException.class);
                    tally.record(t, false);
                } else {
                    assertThat(c.length).isNotEqualTo(MLKEM_CIPHERTEXT_BYTES);
                    tally.record(t, openBox(concat(c, x25519Half)).isPresent());
                }
            }
        }
        tally.assertAllAsExpected();
        assertThat(tally.counts()).isEqualTo("valid 153/153, invalid 40/40, acceptable 0/0");
    }

    // ---- helpers ----

    /** Refusal reason of the facade for a prekey with this X-Wing public key, or empty if accepted. */
    private Optional<CryptoException.Reason> prekeyRefusal(byte[] xwingPublicKey) {
        byte[] tbs = SignedPrekeyBytes.toBeSigned(Messages.EXERCISE, "pk.pm", 1, NOW, NOW.plusSeconds(86_400),
                xwingPublicKey);
        SignedPrekeyBytes signed = SignedPrekeyBytes.of(Messages.EXERCISE, "pk.pm", 1, NOW, NOW.plusSeconds(86_400),
                xwingPublicKey, owner.sign(SignatureContext.SIGNED_PREKEY, tbs));
        try {
            VerifiedPrekey.verify(signed, "pk.pm", owner.publicKey(), Messages.EXERCISE, NOW);
            return Optional.empty();
        } catch (CryptoException e) {
            return Optional.of(e.reason());
        }
    }

    private SignedPrekeyBytes ownPrekey() {
        return PrekeyPair.generate(owner, Messages.EXERCISE, "pk.pm", 1, NOW, Duration.ofDays(1), new SecureRandom())
                .signed();
    }

    /** Opens a box with this X-Wing encapsulation (ML-KEM ciphertext || X25519 ephemeral) under a fresh prekey. */
    private Optional<byte[]> openBox(byte[] encapsulation) {
        PrekeyPair prekey = PrekeyPair.generate(owner, Messages.EXERCISE, "pk.pm", 1, NOW, Duration.ofDays(1),
                new SecureRandom());
        return XWingHpke.open(prekey.exportPrivateKeyForStorage(), prekey.signed().publicKey(), encapsulation,
                new byte[0], new byte[0], new byte[32]);
    }

    /** X25519 the way BouncyCastle's X-Wing computes it; empty when the result is all zero. */
    private static Optional<byte[]> x25519(byte[] privateKey, byte[] publicKey) {
        X25519Agreement agreement = new X25519Agreement();
        agreement.init(new X25519PrivateKeyParameters(privateKey, 0));
        byte[] out = new byte[agreement.getAgreementSize()];
        try {
            agreement.calculateAgreement(new X25519PublicKeyParameters(publicKey, 0), out, 0);
            return Optional.of(out);
        } catch (IllegalStateException allZero) {
            return Optional.empty();
        }
    }

    /** ML-KEM-768 key generation from the FIPS 203 seed d||z, as BouncyCastle's X-Wing feeds it. */
    private static AsymmetricCipherKeyPair mlkemKeyPair(byte[] seed) {
        MLKEMKeyPairGenerator generator = new MLKEMKeyPairGenerator();
        generator.init(new MLKEMKeyGenerationParameters(new FixedSecureRandom(seed), MLKEMParameters.ml_kem_768));
        return generator.generateKeyPair();
    }

    private static byte[] validX25519Point() throws IOException {
        return hex(load("x25519_test.json").get("testGroups").get(0).get("tests").get(0), "public");
    }

    private static boolean isValid(JsonNode t) {
        return "valid".equals(t.get("result").asText());
    }

    private static boolean hasFlag(JsonNode t, String flag) {
        for (JsonNode f : t.path("flags")) {
            if (f.asText().equals(flag)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode load(String name) throws IOException {
        try (InputStream in = WycheproofVectorsTest.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IOException("vector file missing: " + name);
            }
            return JSON.readTree(in);
        }
    }

    private static byte[] hex(JsonNode node, String field) {
        return HEX.parseHex(node.get(field).asText());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * Per-result counts of vectors that came out as their file says: a "valid" vector passes, an
     * "invalid" one is rejected, an "acceptable" one behaves as the class Javadoc decides.
     */
    private static final class Tally {
        private final int[] total = new int[3];
        private final int[] asExpected = new int[3];
        private final List<String> failures = new ArrayList<>();

        /** @param passed whether the vector verified / matched / was accepted (valid, acceptable) */
        void record(JsonNode t, boolean passed) {
            String result = t.get("result").asText();
            int i = List.of("valid", "invalid", "acceptable").indexOf(result);
            Predicate<Boolean> expected = i == 1 ? p -> !p : p -> p;
            total[i]++;
            if (expected.test(passed)) {
                asExpected[i]++;
            } else {
                failures.add("tcId " + t.get("tcId") + " (" + result + ", " + t.path("comment").asText()
                        + " " + t.path("flags") + ")");
            }
        }

        void assertAllAsExpected() {
            assertThat(failures).isEmpty();
        }

        String counts() {
            return "valid " + asExpected[0] + "/" + total[0] + ", invalid " + asExpected[1] + "/" + total[1]
                    + ", acceptable " + asExpected[2] + "/" + total[2];
        }
    }
}
