package org.ctys.bootd;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a gzip-compressed cpio archive in the "newc" format, the one the Linux kernel unpacks
 * as an initramfs. Written here rather than by cpio(1) so that every entry's owner (root) and
 * mode are the ones given, whatever the files on disk say, and no staging tree is needed.
 */
public final class Cpio {
    private static final int TYPE_BITS = 0170000;
    private static final int DIRECTORY = 040000;
    private static final int REGULAR = 0100000;
    private static final int SYMLINK = 0120000;

    /** One entry: a path without a leading slash, its mode with type bits (0100755, 040755, 0120777), its content (a symlink's target). */
    public record Entry(String name, int mode, byte[] data) {
        public Entry {
            if (name.isEmpty() || name.startsWith("/") || name.endsWith("/")) {
                throw new IllegalArgumentException("a cpio entry's name is a relative path: '" + name + "'");
            }
        }

        public static Entry dir(String name) { return new Entry(name, DIRECTORY | 0755, new byte[0]); }

        public static Entry file(String name, int permissions, byte[] data) { return new Entry(name, REGULAR | permissions, data); }

        public static Entry symlink(String name, String target) {
            return new Entry(name, SYMLINK | 0777, target.getBytes(StandardCharsets.UTF_8));
        }

        public boolean isDirectory() { return (mode & TYPE_BITS) == DIRECTORY; }
    }

    private Cpio() {}

    /** Writes {@code entries} in order, then the trailer, gzip-compressed, to {@code target}. */
    public static void writeGzipNewc(Path target, List<Entry> entries) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(target), 1 << 16)) {
            int inode = 1;
            for (Entry e : entries) entry(out, inode++, e.name(), e.mode(), e.data());
            entry(out, 0, "TRAILER!!!", 0, new byte[0]);
        }
    }

    private static void entry(OutputStream out, int inode, String name, int mode, byte[] data) throws IOException {
        byte[] nameBytes = (name + "\0").getBytes(StandardCharsets.UTF_8);
        StringBuilder header = new StringBuilder("070701");
        // inode, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor, rdevmajor, rdevminor, namesize, check
        long[] fields = {inode, mode, 0, 0, (mode & TYPE_BITS) == DIRECTORY ? 2 : 1, 0, data.length, 0, 0, 0, 0,
                nameBytes.length, 0};
        for (long f : fields) header.append(String.format("%08x", f));
        byte[] head = header.toString().getBytes(StandardCharsets.US_ASCII);
        out.write(head);
        out.write(nameBytes);
        pad(out, head.length + nameBytes.length);
        out.write(data);
        pad(out, data.length);
    }

    /** newc aligns the name (after the 110-byte header) and the data each to 4 bytes. */
    private static void pad(OutputStream out, long length) throws IOException {
        out.write(new byte[(int) ((4 - length % 4) % 4)]);
    }
}
