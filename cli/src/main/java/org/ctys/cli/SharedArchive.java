package org.ctys.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The launcher's class-data archive (bin/ctys keeps it beside the jar): the JVM maps it only with
 * the jar path and the JDK it was made with, and otherwise starts without it, silently, slower at
 * every start (0.4 s for a listing on a 2-core machine), for good. That happens after the
 * installation was moved or copied and after every update of the JDK. The launcher names the archive in {@code ctys.archive};
 * when the JVM did not map it, a mark beside it ({@code ctys.jsa.stale}, naming this JDK and jar)
 * has the next launch make it again, once per change of JDK or jar.
 */
public final class SharedArchive {
    static final String PROPERTY = "ctys.archive";

    private SharedArchive() {}

    /** Leaves the mark when the launcher gave an archive and the JVM runs without one. Never fails. */
    public static void markIfUnused() {
        String archive = System.getProperty(PROPERTY);
        if (archive == null || archive.isEmpty() || mapped()) return;
        Path stale = Path.of(archive + ".stale");
        String mark = mark();
        try {
            if (Files.isRegularFile(stale) && mark.equals(Files.readString(stale))) return;
            // whole or not at all: the launcher compares it with what the archive was last made for
            Path part = Files.createTempFile(stale.getParent(), ".ctys.jsa.stale", "");
            try {
                Files.writeString(part, mark);
                Files.move(part, stale, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(part);
            }
        } catch (IOException | RuntimeException e) {
            // an installation this user cannot write: it starts without the archive, as before
        }
    }

    /** What the archive would have to be made for: this JDK and this jar. */
    static String mark() {
        return "java.home=" + System.getProperty("java.home") + "\njava.vm.version=" + System.getProperty("java.vm.version")
                + "\njar=" + System.getProperty("java.class.path") + "\n";
    }

    /** Whether this JVM runs with a class-data archive ("mixed mode, sharing"). */
    static boolean mapped() {
        return String.valueOf(System.getProperty("java.vm.info")).contains("sharing");
    }
}
