package org.ctys.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A site's own certificate authority, made with the openssl command: its certificate
 * ({@link #certificate()}, PEM) and key, and server certificates it signs for a host name (with
 * that name as subjectAltName DNS, as TLS clients check it). Keys are PKCS#8 PEM, 0600.
 */
public final class SiteCa {
    /** A server's certificate and private key, both PEM. */
    public record Server(String name, Path certificate, Path key) {}

    private final Path dir;
    private final Path certificate;
    private final Path key;

    private SiteCa(Path dir, Path certificate, Path key) {
        this.dir = dir;
        this.certificate = certificate;
        this.key = key;
    }

    /** A new CA in {@code dir} named {@code commonName} (EC P-256, valid one day). */
    public static SiteCa create(Path dir, String commonName) {
        String openssl = Proc.require("openssl", "openssl");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new AssertionError("cannot make " + dir + ": " + e.getMessage(), e);
        }
        Path key = dir.resolve("ca.key");
        Path cert = dir.resolve("ca.crt");
        Proc.ok(openssl, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key.toString());
        Proc.ok(openssl, "req", "-x509", "-new", "-key", key.toString(), "-subj", "/CN=" + commonName, "-days", "1",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-out", cert.toString());
        return new SiteCa(dir, cert, key);
    }

    /** The CA's certificate (PEM): what clients trust. */
    public Path certificate() { return certificate; }

    /** A server certificate for {@code name} signed by this CA, in this CA's directory. */
    public Server issue(String name) {
        String openssl = Proc.require("openssl", "openssl");
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        Path cert = dir.resolve(name + ".crt");
        Path ext = dir.resolve(name + ".ext");
        try {
            Files.writeString(ext, "subjectAltName=DNS:" + name + "\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n");
        } catch (IOException e) {
            throw new AssertionError("cannot write " + ext + ": " + e.getMessage(), e);
        }
        Proc.ok(openssl, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key.toString());
        Proc.ok(openssl, "req", "-new", "-key", key.toString(), "-subj", "/CN=" + name, "-out", csr.toString());
        Proc.ok(openssl, "x509", "-req", "-in", csr.toString(), "-CA", certificate.toString(), "-CAkey", this.key.toString(),
                "-CAcreateserial", "-days", "1", "-extfile", ext.toString(), "-out", cert.toString());
        return new Server(name, cert, key);
    }
}
