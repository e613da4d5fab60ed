package org.hotline.protocol.pki;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The CA's record of what it issued and revoked ({@code ca/register.json}), like OpenSSL's
 * {@code index.txt}: revocation needs the serials of a role's certificates without its passphrase.
 */
record CaRegister(@JsonProperty("crlNumber") long crlNumber,
                  @JsonProperty("issued") List<Issued> issued,
                  @JsonProperty("revoked") List<Revoked> revoked) {

    record Issued(@JsonProperty("serial") String serialHex, @JsonProperty("subject") String subject,
                  @JsonProperty("purpose") String purpose, @JsonProperty("notAfter") String notAfter) {
    }

    record Revoked(@JsonProperty("serial") String serialHex, @JsonProperty("subject") String subject,
                   @JsonProperty("revokedAt") String revokedAt) {

        CertificateAuthority.Revoked toEntry() {
            return new CertificateAuthority.Revoked(new BigInteger(serialHex, 16), Instant.parse(revokedAt));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    CaRegister {
        issued = List.copyOf(issued);
        revoked = List.copyOf(revoked);
    }

    static CaRegister empty() {
        return new CaRegister(1, List.of(), List.of());
    }

    CaRegister withIssued(java.security.cert.X509Certificate cert, String subject, CertificatePurpose purpose) {
        List<Issued> next = new ArrayList<>(issued);
        next.add(new Issued(cert.getSerialNumber().toString(16), subject, purpose.organizationalUnit(),
                cert.getNotAfter().toInstant().toString()));
        return new CaRegister(crlNumber, next, revoked);
    }

    boolean isRevoked(String serialHex) {
        return revoked.stream().anyMatch(r -> r.serialHex().equals(serialHex));
    }

    /** Revokes every certificate issued to {@code subject}; returns how many were newly revoked. */
    CaRegister revokeAll(String subject, Instant at) {
        List<Revoked> next = new ArrayList<>(revoked);
        for (Issued i : issued) {
            if (i.subject().equals(subject) && !isRevoked(i.serialHex())) {
                next.add(new Revoked(i.serialHex(), subject, at.toString()));
            }
        }
        return new CaRegister(crlNumber + 1, issued, next);
    }

    List<CertificateAuthority.Revoked> crlEntries() {
        return revoked.stream().map(Revoked::toEntry).toList();
    }

    static CaRegister read(Path file) throws PkiException {
        try {
            return JSON.readValue(file.toFile(), CaRegister.class);
        } catch (IOException e) {
            throw new PkiException(PkiException.Reason.MISSING_FILE, "CA register unreadable: " + file);
        }
    }

    void write(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), this);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
