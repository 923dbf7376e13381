package org.ctys.spi;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a command printed on one of its streams, as kept for the report: at most the run's cap
 * ({@code --max-output}), possibly kept on disk rather than in memory, with the count of the bytes
 * that came after the cap and were read and dropped. Read it as a stream: it may be large.
 */
public interface Captured {

    /** The bytes kept. */
    long size();

    /** The bytes that came after the cap: read from the command and dropped. */
    long dropped();

    /** The bytes kept, from the start. */
    InputStream open();

    default boolean truncated() { return dropped() > 0; }

    /** All the bytes kept, in memory: for output known to be small. */
    default byte[] bytes() {
        try (InputStream in = open()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first {@code max} bytes kept (the first line of an error, say). */
    default byte[] head(int max) {
        try (InputStream in = open()) {
            return in.readNBytes(max);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SHA-256 of the bytes kept: equal outputs are folded by it without holding both in memory. */
    default String fingerprint() {
        try (InputStream in = open()) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) sha.update(buf, 0, n);
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** Output held in memory as it is, nothing dropped. */
    static Captured of(byte[] bytes) { return of(bytes, 0); }

    /** Output held in memory, and the count of the bytes that came after the cap. */
    static Captured of(byte[] bytes, long dropped) {
        byte[] b = bytes.clone();
        return new Captured() {
            @Override
            public long size() { return b.length; }

            @Override
            public long dropped() { return dropped; }

            @Override
            public InputStream open() { return new ByteArrayInputStream(b); }
        };
    }
}
