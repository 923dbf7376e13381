package org.ctys.bootd;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The programs the image is built with (ldd, busybox, grub-mkrescue, xz): found by name or
 * absolute path, run to their end within a limit, their output read from files (a program that
 * fills one stream never blocks on the other). A missing one is named with its Debian package.
 */
final class Tools {
    private static final List<String> SYSTEM_DIRS = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
            "/usr/bin", "/sbin", "/bin");

    private Tools() {}

    /** The absolute path of {@code tool}, or an IllegalStateException naming the package that has it. */
    static Path require(String tool, String debianPackage) {
        if (tool.startsWith("/")) {
            if (Files.isExecutable(Path.of(tool))) return Path.of(tool);
        } else {
            for (String dir : SYSTEM_DIRS) {
                if (Files.isExecutable(Path.of(dir, tool))) return Path.of(dir, tool);
            }
        }
        throw new IllegalStateException(tool + " is missing: apt-get install " + debianPackage);
    }

    /** Runs {@code command}, its stdout written to {@code stdout}; an IOException saying why when it fails or outlasts {@code limit}. */
    static void runTo(Path stdout, Duration limit, List<String> command) throws IOException {
        Path err = Files.createTempFile("ctys-bootd-", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            boolean ended;
            try {
                ended = p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
                if (!ended) {
                    p.destroyForcibly();
                    p.waitFor();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted running " + command.get(0), e);
            }
            if (!ended) throw new IOException(command.get(0) + " did not end within " + limit.toSeconds() + " s");
            if (p.exitValue() != 0) {
                List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8);
                throw new IOException(String.join(" ", command) + " failed (exit " + p.exitValue() + ")"
                        + (lines.isEmpty() ? "" : ": " + String.join(" / ", lines.subList(Math.max(0, lines.size() - 3), lines.size()))));
            }
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /** Runs {@code command} and returns what it printed on stdout (text). */
    static String output(Duration limit, List<String> command) throws IOException {
        Path out = Files.createTempFile("ctys-bootd-", ".out");
        try {
            runTo(out, limit, command);
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
