package dev.sotto.server;

import dev.sotto.SottoException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * HTTPS/WSS from PEM files ({@code --tls-cert}, {@code --tls-key}), as openssl and Let's
 * Encrypt write them: the certificate chain, and the private key in PKCS#8
 * ({@code BEGIN PRIVATE KEY}). The JDK reads both without a key store file on disk.
 */
final class Tls {
    private static final char[] PASSWORD = "sotto".toCharArray();   // of the in-memory key store only

    private Tls() {
    }

    static SslContextFactory.Server contextFactory(Path certFile, Path keyFile) {
        SslContextFactory.Server factory = new SslContextFactory.Server();
        factory.setKeyStore(keyStore(certFile, keyFile));
        factory.setKeyStorePassword(new String(PASSWORD));
        return factory;
    }

    static KeyStore keyStore(Path certFile, Path keyFile) {
        try {
            List<? extends Certificate> chain = List.copyOf(CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(read(certFile, "--tls-cert"))));
            if (chain.isEmpty()) throw new SottoException(certFile + " (--tls-cert): no certificate in it (expected PEM)");
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("sotto", privateKey(keyFile), PASSWORD, chain.toArray(new Certificate[0]));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new SottoException(certFile + " (--tls-cert): not a PEM certificate this server can use: " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Path keyFile) {
        String pem = new String(read(keyFile, "--tls-key"), java.nio.charset.StandardCharsets.US_ASCII);
        if (pem.contains("BEGIN RSA PRIVATE KEY") || pem.contains("BEGIN EC PRIVATE KEY") || pem.contains("ENCRYPTED")) {
            throw new SottoException(keyFile + " (--tls-key): the key must be unencrypted PKCS#8 ('BEGIN PRIVATE KEY'); "
                    + "convert it with: openssl pkcs8 -topk8 -nocrypt -in " + keyFile + " -out key.pem");
        }
        int start = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (start < 0 || end < start) throw new SottoException(keyFile + " (--tls-key): no 'BEGIN PRIVATE KEY' block in it");
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(start + 27, end));
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException tryNext) {
                // not this algorithm
            }
        }
        throw new SottoException(keyFile + " (--tls-key): an RSA, EC or Ed25519 key was expected");
    }

    private static byte[] read(Path file, String option) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new SottoException(file + " (" + option + "): cannot read: " + e.getMessage(), e);
        }
    }
}
