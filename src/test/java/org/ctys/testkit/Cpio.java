package org.ctys.testkit;

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
final class Cpio {
    /** One entry: a path without a leading slash, its mode with type bits (0100755, 040755, 0120777), its content (a symlink's target). */
    record Entry(String name, int mode, byte[] data) {
        static Entry dir(String name) { return new Entry(name, 040755, new byte[0]); }

        static Entry file(String name, int permissions, byte[] data) { return new Entry(name, 0100000 | permissions, data); }
    }

    private Cpio() {}

    /** Writes {@code entries} in order, then the trailer, gzip-compressed, to {@code target}. */
    static void writeGzipNewc(Path target, List<Entry> entries) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(target))) {
            int inode = 1;
            for (Entry e : entries) entry(out, inode++, e.name(), e.mode(), e.data());
            entry(out, 0, "TRAILER!!!", 0, new byte[0]);
        }
    }

    private static void entry(OutputStream out, int inode, String name, int mode, byte[] data) throws IOException {
        byte[] nameBytes = (name + "\0").getBytes(StandardCharsets.UTF_8);
        StringBuilder header = new StringBuilder("070701");
        // inode, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor, rdevmajor, rdevminor, namesize, check
        long[] fields = {inode, mode, 0, 0, (mode & 0170000) == 040000 ? 2 : 1, 0, data.length, 0, 0, 0, 0,
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
