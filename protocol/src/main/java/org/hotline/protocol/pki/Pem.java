package org.hotline.protocol.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Base64;

/** PEM files for certificates and CRLs, read and written with the JDK only. */
public final class Pem {

    private Pem() {
    }

    public static String encode(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    public static String certificate(X509Certificate cert) {
        try {
            return encode("CERTIFICATE", cert.getEncoded());
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String crl(X509CRL crl) {
        try {
            return encode("X509 CRL", crl.getEncoded());
        } catch (CRLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static X509Certificate readCertificate(Path file) throws PkiException {
        byte[] bytes = readFile(file, "certificate");
        try {
            return parseCertificate(bytes);
        } catch (CertificateException e) {
            throw new PkiException(PkiException.Reason.MALFORMED, file + " is not a valid certificate");
        }
    }

    public static X509Certificate parseCertificate(byte[] pemOrDer) throws CertificateException {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pemOrDer));
    }

    public static X509CRL readCrl(Path file) throws PkiException {
        byte[] bytes = readFile(file, "CRL");
        try {
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(bytes));
        } catch (CertificateException | CRLException e) {
            throw new PkiException(PkiException.Reason.MALFORMED, file + " is not a valid CRL");
        }
    }

    static byte[] readFile(Path file, String what) throws PkiException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new PkiException(PkiException.Reason.MISSING_FILE, what + " file not found: " + file);
        } catch (IOException e) {
            throw new PkiException(PkiException.Reason.IO, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
