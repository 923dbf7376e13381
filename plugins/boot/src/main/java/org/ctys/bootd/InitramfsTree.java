package org.ctys.bootd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The entries of an initramfs in the order the kernel must unpack them: every directory before
 * what it holds (made as it is first needed), each path once. The first entry for a path wins,
 * so a busybox applet link never replaces a real program of the same name.
 */
final class InitramfsTree {
    private final List<Cpio.Entry> entries = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private long bytes;

    /** {@code path} may start with a slash ("/usr/bin/openssl"); directories above it are added first. */
    InitramfsTree file(String path, int permissions, byte[] data) {
        return add(Cpio.Entry.file(relative(path), permissions, data));
    }

    InitramfsTree text(String path, int permissions, String text) {
        return file(path, permissions, text.getBytes(StandardCharsets.UTF_8));
    }

    InitramfsTree symlink(String path, String target) {
        return add(Cpio.Entry.symlink(relative(path), target));
    }

    InitramfsTree dir(String path) {
        return add(Cpio.Entry.dir(relative(path)));
    }

    /** The uncompressed size of every file's content. */
    long bytes() {
        return bytes;
    }

    void writeGzip(Path target) throws IOException {
        Cpio.writeGzipNewc(target, entries);
    }

    private InitramfsTree add(Cpio.Entry e) {
        if (names.contains(e.name())) return this;
        int slash = e.name().lastIndexOf('/');
        if (slash > 0) dir(e.name().substring(0, slash));
        names.add(e.name());
        entries.add(e);
        bytes += e.data().length;
        return this;
    }

    private static String relative(String path) {
        String p = path;
        while (p.startsWith("/")) p = p.substring(1);
        return p;
    }
}
