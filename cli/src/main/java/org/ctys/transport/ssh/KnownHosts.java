package org.ctys.transport.ssh;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.sshd.common.config.keys.PublicKeyEntry;

/**
 * known_hosts files read as OpenSSH's hostfile.c reads them: {@code [@marker] hosts keytype key
 * [comment]}, where hosts is a comma list of patterns ({@link HostPatterns}) or one hashed name
 * {@code |1|salt|hash}. Keys are compared as their SSH wire encoding, so a key type MINA cannot
 * decode still counts as "another key for this host". Lines OpenSSH would skip (unknown marker,
 * bad base64, a blob whose type differs from the one written before it) are skipped here too.
 */
final class KnownHosts {

    enum Marker { NONE, REVOKED, CERT_AUTHORITY }

    /** One line of one file that names the host looked up. */
    record Entry(Path file, int line, Marker marker, String keyType, byte[] blob) {
        String where() {
            return file + ":" + line;
        }

        boolean sameKey(byte[] other) {
            return Arrays.equals(blob, other);
        }

        /** As {@code ssh-keygen -l} shows it: {@code ED25519 SHA256:...}. */
        String describe() {
            return typeName(keyType) + " " + fingerprint(blob);
        }
    }

    private KnownHosts() {
    }

    /** Every line of the files that matches {@code name}, files in order; a missing file has none. */
    static List<Entry> matching(List<Path> files, String name) throws IOException {
        List<Entry> out = new ArrayList<>();
        for (Path file : files) {
            for (Line l : lines(file)) {
                if (hostMatches(l.hosts(), name)) out.add(l.entry());
            }
        }
        return out;
    }

    /** An entry of a file with the hosts field it is for, before any host is looked up. */
    private record Line(String hosts, Entry entry) {}

    /** A file's entries, with the bytes they were read from. */
    private record Read(byte[] content, List<Line> lines) {}

    /**
     * The files split during this run: a fan-out to 256 hosts looks up 256 names in the same files,
     * which were split and decoded 256 times. Each lookup still reads the file (cheap, and a file
     * another ssh client or ctys's accept-new changed is never missed), and splits it again only
     * when its bytes differ from the last time.
     */
    private static final java.util.Map<Path, Read> READ = new java.util.concurrent.ConcurrentHashMap<>();

    private static List<Line> lines(Path file) throws IOException {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            READ.remove(file);
            return List.of(); // OpenSSH reads the files that exist; the defaults usually do not all exist
        }
        Read r = READ.get(file);
        if (r != null && Arrays.equals(r.content(), content)) return r.lines();
        List<Line> lines = new ArrayList<>();
        int line = 0;
        for (String text : new String(content, StandardCharsets.ISO_8859_1).split("\r\n|\r|\n", -1)) {
            line++;
            String[] w = text.strip().split("\\s+");
            int hosts = w.length > 0 && w[0].startsWith("@") ? 1 : 0;
            Entry e = hosts < w.length ? entry(w, file, line) : null;
            if (e != null) lines.add(new Line(w[hosts], e));
        }
        READ.put(file, new Read(content, List.copyOf(lines)));
        return lines;
    }

    /** The entry a line holds for {@code name}, or null when it is about another host or not an entry. */
    static Entry parse(String text, Path file, int line, String name) {
        String[] w = text.strip().split("\\s+");
        if (w.length == 0 || w[0].isEmpty()) return null;
        int hosts = w[0].startsWith("@") ? 1 : 0;
        if (w.length <= hosts || !hostMatches(w[hosts], name)) return null;
        return entry(w, file, line);
    }

    /** The entry of a line split into words, whatever host it names; null when OpenSSH would skip the line. */
    private static Entry entry(String[] w, Path file, int line) {
        if (w.length == 0 || w[0].isEmpty() || w[0].startsWith("#")) {
            return null;
        }
        int i = 0;
        Marker marker = Marker.NONE;
        if (w[0].startsWith("@")) {
            switch (w[0].toLowerCase(Locale.ROOT)) {
                case "@revoked" -> marker = Marker.REVOKED;
                case "@cert-authority" -> marker = Marker.CERT_AUTHORITY;
                default -> {
                    return null; // OpenSSH skips a line with a marker it does not know
                }
            }
            i = 1;
        }
        if (w.length < i + 3) {
            return null;
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(w[i + 2]);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String type = blobType(blob);
        if (type == null || !type.equals(w[i + 1])) {
            return null;
        }
        return new Entry(file, line, marker, type, blob);
    }

    /** A hosts field against a name already formed as OpenSSH looks it up ({@code [host]:port} off port 22). */
    static boolean hostMatches(String hosts, String name) {
        if (hosts.startsWith("|")) {
            return hashMatches(hosts, name.toLowerCase(Locale.ROOT));
        }
        return HostPatterns.matchCommaList(name, hosts) == HostPatterns.Verdict.MATCH;
    }

    /** {@code name} as OpenSSH's HashKnownHosts writes it: {@code |1|}, a random 20-byte salt, the HMAC-SHA1 of the name under it. */
    static String hashed(String name) {
        byte[] salt = new byte[20];
        new java.security.SecureRandom().nextBytes(salt);
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(salt, "HmacSHA1"));
            byte[] hash = mac.doFinal(name.getBytes(StandardCharsets.UTF_8));
            return "|1|" + Base64.getEncoder().encodeToString(salt) + "|" + Base64.getEncoder().encodeToString(hash);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA1 is missing from this JDK", e);
        }
    }

    /**
     * {@code |1|salt|hash}: HMAC-SHA1 keyed by the salt over the name exactly as looked up
     * ({@code [host]:port} off port 22). MINA's KnownHostHashValue forms the name from host and
     * port itself, so the hash is computed here on the name OpenSSH uses.
     */
    static boolean hashMatches(String hashed, String name) {
        String[] parts = hashed.split("\\|", -1);
        if (parts.length != 4 || !parts[0].isEmpty() || !parts[1].equals("1")) {
            return false; // OpenSSH knows only hash type 1
        }
        try {
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] hash = Base64.getDecoder().decode(parts[3]);
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(salt, "HmacSHA1"));
            return MessageDigest.isEqual(hash, mac.doFinal(name.getBytes(StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException | java.security.GeneralSecurityException e) {
            return false; // a malformed hash names no host
        }
    }

    /** The key's SSH wire encoding, the form known_hosts stores in base64. */
    static byte[] blob(PublicKey key) {
        String entry = PublicKeyEntry.toString(key);
        return Base64.getDecoder().decode(entry.substring(entry.indexOf(' ') + 1).strip());
    }

    /** The type name a wire-encoded key starts with, or null when it is not one. */
    static String blobType(byte[] blob) {
        if (blob.length < 4) {
            return null;
        }
        int len = ByteBuffer.wrap(blob).getInt();
        if (len <= 0 || len > blob.length - 4 || len > 64) {
            return null;
        }
        return new String(blob, 4, len, StandardCharsets.US_ASCII);
    }

    static String fingerprint(byte[] blob) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** The key type as OpenSSH names it in its messages: ED25519, ECDSA, RSA, ... */
    static String typeName(String keyType) {
        String t = keyType.replace("-cert-v01@openssh.com", "");
        if (t.equals("ssh-ed25519")) {
            return "ED25519";
        }
        if (t.equals("ssh-rsa")) {
            return "RSA";
        }
        if (t.equals("ssh-dss")) {
            return "DSA";
        }
        if (t.startsWith("ecdsa-sha2-")) {
            return "ECDSA";
        }
        if (t.startsWith("sk-ssh-ed25519")) {
            return "ED25519-SK";
        }
        if (t.startsWith("sk-ecdsa")) {
            return "ECDSA-SK";
        }
        return keyType;
    }
}
