package org.hotline.protocol.pki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.pkcs.SecretBag;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.ContentInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS12PfxPdu;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBagFactory;
import org.bouncycastle.pkcs.PKCS12SecretBag;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcePKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCS12MacCalculatorBuilderProvider;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEInputDecryptorProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;

/**
 * PKCS#12 files (RFC 7292) written and read with BouncyCastle so that every kind of key we hold
 * fits: each private key in its own shrouded key bag encrypted with PBES2 (PBKDF2-HMAC-SHA256,
 * AES-256-CBC), certificates in a PBES2-encrypted safe, and an HMAC-SHA256 integrity MAC over the
 * whole file. {@code openssl pkcs12} opens these files with the passphrase and refuses a wrong one.
 */
final class Pkcs12File {

    /** PBKDF2 and MAC iterations for credentials handed to people. */
    static final int DEFAULT_ITERATIONS = 200_000;
    /**
     * Secret-bag type for a prekey: {@code SEQUENCE { PrivateKeyInfo (X-Wing seed), OCTET STRING signedPrekey }}.
     * A secret bag rather than a key bag because tools such as OpenSSL refuse key bags with algorithms
     * they do not know. The OID is under the UUID arc 2.25 (ITU-T X.667), which needs no registration.
     */
    static final ASN1ObjectIdentifier PREKEY_SECRET_TYPE =
            new ASN1ObjectIdentifier("2.25.253517061919310675806786165938818052025.2");

    private static final Provider BC = new BouncyCastleProvider();

    /** One named private key with its certificate chain (leaf first). */
    record KeyEntry(String name, PrivateKeyInfo key, List<X509Certificate> chain) {
        KeyEntry {
            chain = List.copyOf(chain);
        }
    }

    /** A prekey: its private key (X-Wing seed in a PrivateKeyInfo) and its signed public half. */
    record PrekeyEntry(PrivateKeyInfo key, byte[] signedPrekey) {
        PrekeyEntry {
            signedPrekey = signedPrekey.clone();
        }

        @Override
        public byte[] signedPrekey() {
            return signedPrekey.clone();
        }
    }

    private Pkcs12File() {
    }

    static void write(Path file, char[] passphrase, List<KeyEntry> entries, List<PrekeyEntry> prekeys,
                      List<X509Certificate> extraCerts, int iterations, SecureRandom random) throws IOException {
        try {
            // A new encryptor for every encrypted structure: each gets its own salt and IV.
            java.util.function.Supplier<OutputEncryptor> encryptor = () -> newEncryptor(passphrase, iterations, random);
            PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
            List<PKCS12SafeBag> certBags = new ArrayList<>();
            int keyIndex = 0;
            for (KeyEntry e : entries) {
                byte[] localKeyId = new byte[] {(byte) ++keyIndex};
                PKCS12SafeBagBuilder kb = new PKCS12SafeBagBuilder(e.key(), encryptor.get())
                        .addBagAttribute(PKCS12SafeBag.friendlyNameAttribute, new DERBMPString(e.name()))
                        .addBagAttribute(PKCS12SafeBag.localKeyIdAttribute, new DEROctetString(localKeyId));
                pfx.addData(kb.build());
                certBags.add(new PKCS12SafeBagBuilder(holder(e.chain().get(0)))
                        .addBagAttribute(PKCS12SafeBag.friendlyNameAttribute, new DERBMPString(e.name()))
                        .addBagAttribute(PKCS12SafeBag.localKeyIdAttribute, new DEROctetString(localKeyId))
                        .build());
            }
            // Issuer certificates once each, without key ids.
            java.util.Set<X509Certificate> issuers = new java.util.LinkedHashSet<>();
            entries.forEach(e -> issuers.addAll(e.chain().subList(1, e.chain().size())));
            issuers.addAll(extraCerts);
            for (X509Certificate c : issuers) {
                certBags.add(new PKCS12SafeBagBuilder(holder(c)).build());
            }
            // Secret bags have no encryption of their own: they go in the PBES2-encrypted safe.
            for (PrekeyEntry p : prekeys) {
                certBags.add(new PKCS12SafeBagBuilder(new PKCS12SecretBag(new SecretBag(PREKEY_SECRET_TYPE,
                        new DERSequence(new ASN1Encodable[] {p.key(), new DEROctetString(p.signedPrekey())}))))
                        .addBagAttribute(PKCS12SafeBag.friendlyNameAttribute, new DERBMPString("prekey"))
                        .build());
            }
            pfx.addEncryptedData(encryptor.get(), certBags.toArray(new PKCS12SafeBag[0]));
            PKCS12PfxPdu pdu = pfx.build(new JcePKCS12MacCalculatorBuilder(NISTObjectIdentifiers.id_sha256)
                    .setIterationCount(iterations).setProvider(BC), passphrase);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, ownerOnly());
            writeDurably(tmp, file, pdu.getEncoded("DER"));
        } catch (PKCSException | CertificateEncodingException e) {
            throw new IllegalStateException("PKCS#12 encoding failed", e);
        }
    }

    /**
     * Writes {@code bytes} to {@code tmp}, forces them to disk, moves {@code tmp} over {@code file}
     * atomically and forces the directory entry: after a crash the file is the old one or the new
     * one, never an empty or partial one (a prekey file erasing a prekey must not lose the others).
     */
    static void writeDurably(Path tmp, Path file, byte[] bytes) throws IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING,
                java.nio.file.StandardOpenOption.CREATE)) {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Path dir = file.toAbsolutePath().getParent();
        try (java.nio.channels.FileChannel d = java.nio.channels.FileChannel.open(dir,
                java.nio.file.StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory for sync; the file's own content is on disk.
        }
    }

    private static OutputEncryptor newEncryptor(char[] passphrase, int iterations, SecureRandom random) {
        try {
            return new JcePKCSPBEOutputEncryptorBuilder(NISTObjectIdentifiers.id_aes256_CBC)
                    .setPRF(new AlgorithmIdentifier(PKCSObjectIdentifiers.id_hmacWithSHA256, DERNull.INSTANCE))
                    .setIterationCount(iterations).setRandom(random).setProvider(BC).build(passphrase);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("PBES2 encryptor unavailable", e);
        }
    }

    private static java.nio.file.attribute.FileAttribute<?>[] ownerOnly() {
        if (!java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new java.nio.file.attribute.FileAttribute<?>[0];
        }
        return new java.nio.file.attribute.FileAttribute<?>[] {java.nio.file.attribute.PosixFilePermissions
                .asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"))};
    }

    /** Contents of a credential file after MAC check and decryption. */
    record Contents(List<KeyEntry> keys, List<PrekeyEntry> prekeys, List<X509Certificate> certificates) {
        Optional<KeyEntry> key(String name) {
            return keys.stream().filter(k -> k.name().equals(name)).findFirst();
        }
    }

    static Contents read(Path file, char[] passphrase, String what) throws PkiException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new PkiException(PkiException.Reason.MISSING_FILE, what + " not found: " + file);
        } catch (IOException e) {
            throw new PkiException(PkiException.Reason.IO, "cannot read " + what + " " + file + ": " + e.getMessage());
        }
        try {
            PKCS12PfxPdu pfx = new PKCS12PfxPdu(bytes);
            if (!pfx.hasMac()) {
                throw new PkiException(PkiException.Reason.MALFORMED, what + " " + file + " has no integrity MAC");
            }
            if (!pfx.isMacValid(new JcePKCS12MacCalculatorBuilderProvider().setProvider(BC), passphrase)) {
                throw new PkiException(PkiException.Reason.WRONG_PASSPHRASE,
                        "wrong passphrase for " + what + " " + file + " (or the file was altered)");
            }
            InputDecryptorProvider decryptor = new JcePKCSPBEInputDecryptorProviderBuilder().setProvider(BC)
                    .build(passphrase);
            List<PKCS12SafeBag> bags = new ArrayList<>();
            for (ContentInfo ci : pfx.getContentInfos()) {
                PKCS12SafeBagFactory f = ci.getContentType().equals(PKCSObjectIdentifiers.encryptedData)
                        ? new PKCS12SafeBagFactory(ci, decryptor) : new PKCS12SafeBagFactory(ci);
                bags.addAll(Arrays.asList(f.getSafeBags()));
            }
            List<X509Certificate> certs = new ArrayList<>();
            List<byte[]> certKeyIds = new ArrayList<>();
            for (PKCS12SafeBag bag : bags) {
                if (bag.getBagValue() instanceof X509CertificateHolder h) {
                    certs.add(Pem.parseCertificate(h.getEncoded()));
                    certKeyIds.add(attribute(bag, PKCS12SafeBag.localKeyIdAttribute).orElse(null));
                }
            }
            List<KeyEntry> keys = new ArrayList<>();
            List<PrekeyEntry> prekeys = new ArrayList<>();
            for (PKCS12SafeBag bag : bags) {
                if (bag.getBagValue() instanceof PKCS12SecretBag secret
                        && PREKEY_SECRET_TYPE.equals(secret.getSecretTypeId())) {
                    ASN1Sequence seq = ASN1Sequence.getInstance(secret.getSecretValue());
                    prekeys.add(new PrekeyEntry(PrivateKeyInfo.getInstance(seq.getObjectAt(0)),
                            ASN1OctetString.getInstance(seq.getObjectAt(1)).getOctets()));
                }
                if (bag.getBagValue() instanceof PKCS8EncryptedPrivateKeyInfo enc) {
                    PrivateKeyInfo info = enc.decryptPrivateKeyInfo(decryptor);
                    String name = bag.getAttributes() == null ? "" : friendlyName(bag);
                    byte[] keyId = attribute(bag, PKCS12SafeBag.localKeyIdAttribute).orElse(new byte[0]);
                    List<X509Certificate> chain = new ArrayList<>();
                    for (int i = 0; i < certs.size(); i++) {
                        if (certKeyIds.get(i) != null && Arrays.equals(certKeyIds.get(i), keyId)) {
                            chain.add(certs.get(i));
                        }
                    }
                    keys.add(new KeyEntry(name, info, chain));
                }
            }
            return new Contents(keys, prekeys, certs);
        } catch (PKCSException | IOException | CertificateException | RuntimeException e) {
            throw new PkiException(PkiException.Reason.MALFORMED,
                    what + " " + file + " is not a readable PKCS#12 credential");
        }
    }

    private static String friendlyName(PKCS12SafeBag bag) {
        for (Attribute a : bag.getAttributes()) {
            if (a.getAttrType().equals(PKCS12SafeBag.friendlyNameAttribute)) {
                return ((DERBMPString) a.getAttributeValues()[0]).getString();
            }
        }
        return "";
    }

    private static Optional<byte[]> attribute(PKCS12SafeBag bag, ASN1ObjectIdentifier type) {
        if (bag.getAttributes() == null) {
            return Optional.empty();
        }
        for (Attribute a : bag.getAttributes()) {
            if (a.getAttrType().equals(type)) {
                ASN1Encodable v = a.getAttributeValues()[0];
                return Optional.of(ASN1OctetString.getInstance(v).getOctets());
            }
        }
        return Optional.empty();
    }

    private static X509CertificateHolder holder(X509Certificate c) throws CertificateEncodingException {
        try {
            return new X509CertificateHolder(c.getEncoded());
        } catch (IOException e) {
            throw new CertificateEncodingException(e);
        }
    }
}
