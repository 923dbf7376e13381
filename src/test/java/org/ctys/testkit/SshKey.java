package org.ctys.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** An SSH key pair made by OpenSSH's ssh-keygen, without a passphrase: {@code FILE} and {@code FILE.pub}. */
public record SshKey(Path privateKey, Path publicKey) {

    /** A new ed25519 key pair at {@code file} (an old one there is replaced). */
    public static SshKey generate(Path file) {
        return generate(file, "ed25519", "ctys-test");
    }

    /** A new key pair of {@code type} ("ed25519", "rsa" with 2048 bits) with {@code comment}. */
    public static SshKey generate(Path file, String type, String comment) {
        String keygen = Proc.require("ssh-keygen", "openssh-client");
        Path pub = Path.of(file + ".pub");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.deleteIfExists(file);
            Files.deleteIfExists(pub);
        } catch (IOException e) {
            throw new AssertionError("cannot make room for a key at " + file + ": " + e.getMessage(), e);
        }
        List<String> cmd = new ArrayList<>(List.of(keygen, "-q", "-t", type, "-N", "", "-C", comment, "-f", file.toString()));
        if (type.equals("rsa")) cmd.addAll(2, List.of("-b", "2048"));
        Proc.ok(cmd.toArray(String[]::new));
        return new SshKey(file, pub);
    }

    /** The public key as one line: type, base64, comment. */
    public String publicLine() {
        try {
            return Files.readString(publicKey).strip();
        } catch (IOException e) {
            throw new AssertionError("cannot read " + publicKey + ": " + e.getMessage(), e);
        }
    }

    /** Its SHA256 fingerprint as ssh-keygen -l prints it ("SHA256:..."). */
    public String fingerprint() {
        return fingerprint(publicKey);
    }

    /** The SHA256 fingerprint of a public key file, as ssh-keygen -l prints it. */
    public static String fingerprint(Path publicKeyFile) {
        return Proc.ok(Proc.require("ssh-keygen", "openssh-client"), "-l", "-f", publicKeyFile.toString()).out().split(" ")[1];
    }

    /** Copies the private key to {@code target} (mode 0600 kept), e.g. a home's ~/.ssh/id_ed25519. */
    public Path copyTo(Path target) {
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            return Files.copy(privateKey, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        } catch (IOException e) {
            throw new AssertionError("cannot copy " + privateKey + " to " + target + ": " + e.getMessage(), e);
        }
    }
}
