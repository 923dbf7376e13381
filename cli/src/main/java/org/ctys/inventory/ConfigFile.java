package org.ctys.inventory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import org.ctys.exit.CtysException;
import org.ctys.grammar.Sizes;
import org.ctys.os.UnixFiles;

/**
 * Reads a file ctys is configured by (the inventory, a secret, /etc/ethers) with the checks every
 * one of them needs: the path names something, it is a regular file, it is not larger than the
 * limit, and every failure says why in words a user knows ("permission denied").
 *
 * <p>A FIFO, a device or a directory is refused from its attributes, before it is opened:
 * opening a FIFO for reading blocks until someone writes to it, past any {@code --timeout}, and
 * reading a device such as /dev/zero never ends.
 */
final class ConfigFile {

    private final Path path;
    /** How messages name the file: "inventory file", "secret file". */
    private final String what;

    ConfigFile(Path path, String what) {
        this.path = path;
        this.what = what;
    }

    /** The file's attributes, after refusing an empty path, a missing file and anything but a regular file. */
    BasicFileAttributes regular() {
        if (path.toString().isEmpty()) {
            throw CtysException.config(what + " '' names no file: give the file's path");
        }
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw CtysException.config(what + " " + path + " does not exist");
        } catch (IOException e) {
            throw cannotRead(e);
        }
        if (!attrs.isRegularFile()) {
            throw CtysException.config(what + " " + path + " is " + kind(attrs) + ", not a regular file");
        }
        return attrs;
    }

    /**
     * The whole content; a file over {@code limit} bytes (at most 1 GiB) is refused before it is
     * read, and one that grows past it while being read is refused too. Buffers that held the
     * content are zeroed, since the content may be a password.
     */
    byte[] read(long limit, String limitText) {
        return read(regular(), limit, limitText);
    }

    private byte[] read(BasicFileAttributes attrs, long limit, String limitText) {
        if (attrs.size() > limit) throw tooLarge(attrs.size(), limitText);
        try (InputStream in = Files.newInputStream(path)) {
            // one byte more than the size: a file that grew since is noticed without a copy
            byte[] data = new byte[(int) Math.min(attrs.size() + 1, limit + 1)];
            int total = 0;
            int n;
            while ((n = in.read(data, total, data.length - total)) >= 0) {
                total += n;
                if (total > limit) {
                    Arrays.fill(data, (byte) 0);
                    throw tooLarge(total, limitText);
                }
                if (total == data.length) {
                    byte[] bigger = Arrays.copyOf(data, (int) Math.min(data.length * 2L, limit + 1));
                    Arrays.fill(data, (byte) 0);
                    data = bigger;
                }
            }
            if (total == data.length) return data;
            byte[] exact = Arrays.copyOf(data, total);
            Arrays.fill(data, (byte) 0);
            return exact;
        } catch (NoSuchFileException e) {
            throw CtysException.config(what + " " + path + " does not exist");
        } catch (IOException e) {
            throw cannotRead(e);
        }
    }

    /**
     * As {@link #read}, after refusing a file that belongs to someone other than this user or root,
     * or that others can write ({@link UnixFiles.Stat#trusted()}): the inventory and the daemons'
     * configurations choose where ctys connects, what it runs and which secret files it sends.
     *
     * @param decides what the file decides, for the refusal ("chooses where ctys connects ...")
     */
    byte[] readTrusted(long limit, String limitText, String decides) {
        BasicFileAttributes attrs = regular();
        UnixFiles.Stat st;
        try {
            st = UnixFiles.stat(path);
        } catch (IOException e) {
            throw cannotRead(e);
        }
        if (!st.trusted()) {
            throw CtysException.config(UnixFiles.untrusted(what, path, decides));
        }
        return read(attrs, limit, limitText);
    }

    CtysException cannotRead(IOException e) {
        return CtysException.config("cannot read " + what + " " + path + ": " + reason(e), e);
    }

    private CtysException tooLarge(long size, String limitText) {
        return CtysException.config(what + " " + path + " is " + Sizes.approximate(size) + ", over the limit of " + limitText);
    }

    /** What went wrong, as ls or cat would say it, never a Java class name. */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof NoSuchFileException) return "no such file or directory";
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) return f.getReason();
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** "a FIFO", "a directory", ...: what a non-regular file is, from its mode bits where the system has them. */
    private String kind(BasicFileAttributes attrs) {
        if (attrs.isDirectory()) return "a directory";
        try {
            return switch (UnixFiles.stat(path).type()) {
                case UnixFiles.FIFO -> "a FIFO (named pipe)";
                case UnixFiles.CHARACTER_DEVICE -> "a character device";
                case UnixFiles.BLOCK_DEVICE -> "a block device";
                case UnixFiles.SOCKET -> "a socket";
                default -> "a special file";
            };
        } catch (IOException e) {
            return "a special file";
        }
    }
}
