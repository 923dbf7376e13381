package org.ctys.bootd;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.ctys.exit.CtysException;

/**
 * The server's TLS identity from the configuration's PEM files: its certificate (and any chain after
 * it), its PKCS#8 private key (readable by its owner only) and the site CA. Checked whole before
 * anything listens: the key belongs to the certificate, the certificate names the configured name
 * and is signed by the CA, and is valid now. Each problem is one line naming the file, exit status 3.
 */
final class ServerIdentity {
    private final List<X509Certificate> chain;
    private final PrivateKey key;
    private final X509Certificate ca;

    private ServerIdentity(List<X509Certificate> chain, PrivateKey key, X509Certificate ca) {
        this.chain = chain;
        this.key = key;
        this.ca = ca;
    }

    static ServerIdentity load(BootdConfig c) {
        List<X509Certificate> chain = certificates(c.certificate(), "certificate");
        X509Certificate ca = certificates(c.ca(), "ca").get(0);
        PrivateKey key = privateKey(c.key());
        X509Certificate leaf = chain.get(0);
        if (!belongTogether(key, leaf)) {
            throw CtysException.config("key " + c.key() + " is not the private key of certificate " + c.certificate());
        }
        if (!names(leaf).contains(c.name().toLowerCase(java.util.Locale.ROOT))) {
            throw CtysException.config("certificate " + c.certificate() + " is not for name " + c.name() + " (it names "
                    + (names(leaf).isEmpty() ? "no DNS name" : String.join(", ", names(leaf))) + "); the recovery system checks that name");
        }
        try {
            leaf.checkValidity();
        } catch (CertificateException e) {
            throw CtysException.config("certificate " + c.certificate() + " is not valid now (" + leaf.getNotBefore() + " to "
                    + leaf.getNotAfter() + ")");
        }
        X509Certificate issuer = chain.size() > 1 ? chain.get(chain.size() - 1) : leaf;
        if (!signedBy(issuer, ca) && !signedBy(leaf, ca)) {
            throw CtysException.config("certificate " + c.certificate() + " is not signed by the CA in " + c.ca()
                    + "; the recovery system trusts only that CA");
        }
        return new ServerIdentity(chain, key, ca);
    }

    X509Certificate ca() { return ca; }

    SSLContext sslContext() {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] none = new char[0];
            ks.setKeyEntry("server", key, none, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, none);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw CtysException.config("cannot make a TLS context of the server's key and certificate: " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> certificates(Path file, String what) {
        byte[] pem = readFile(file, what);
        try {
            Collection<? extends java.security.cert.Certificate> all =
                    CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
            List<X509Certificate> out = new ArrayList<>();
            for (java.security.cert.Certificate x : all) out.add((X509Certificate) x);
            if (out.isEmpty()) throw CtysException.config(what + " " + file + " holds no PEM certificate");
            return out;
        } catch (CertificateException e) {
            throw CtysException.config(what + " " + file + " holds no PEM certificate: " + e.getMessage());
        }
    }

    private static PrivateKey privateKey(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            for (PosixFilePermission p : perms) {
                if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
                    throw CtysException.config("key " + file + " can be read by others (mode "
                            + java.nio.file.attribute.PosixFilePermissions.toString(perms) + "); make it 0600");
                }
            }
        } catch (IOException e) {
            // readFile says what is wrong
        }
        String text = new String(readFile(file, "key"), StandardCharsets.US_ASCII);
        String begin = "-----BEGIN PRIVATE KEY-----";
        int b = text.indexOf(begin);
        int e = text.indexOf("-----END PRIVATE KEY-----");
        if (b < 0 || e < b) {
            throw CtysException.config("key " + file + " is not a PKCS#8 PEM key (BEGIN PRIVATE KEY); convert it with"
                    + " 'openssl pkcs8 -topk8 -nocrypt -in OLD -out NEW'");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
        } catch (IllegalArgumentException x) {
            throw CtysException.config("key " + file + " is not valid base64 between its PEM lines");
        }
        for (String alg : new String[] {"EC", "RSA", "Ed25519", "Ed448"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException x) {
                // the next algorithm
            }
        }
        throw CtysException.config("key " + file + " is no EC, RSA or EdDSA private key");
    }

    private static byte[] readFile(Path file, String what) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw CtysException.config("cannot read " + what + " " + file + ": " + e.getClass().getSimpleName()
                    .replace("NoSuchFileException", "no such file").replace("AccessDeniedException", "permission denied"));
        }
    }

    private static boolean belongTogether(PrivateKey key, X509Certificate cert) {
        String alg = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> key.getAlgorithm();
        };
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(cert.getPublicKey());
            v.update(probe);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static List<String> names(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> alt = cert.getSubjectAlternativeNames();
            if (alt != null) {
                for (List<?> n : alt) if (Integer.valueOf(2).equals(n.get(0))) out.add(n.get(1).toString().toLowerCase(java.util.Locale.ROOT));
            }
        } catch (CertificateParsingException e) {
            // no names
        }
        return out;
    }

    private static boolean signedBy(X509Certificate cert, X509Certificate ca) {
        try {
            cert.verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
