package org.ctys.engine.run;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ctys.spi.OpenWindow;
import org.ctys.spi.Verdict;

/**
 * Starts a terminal window: detached (its own session, stdin and stdout on /dev/null, never
 * waited for), so that it outlives ctys. It counts as opened when it is still running after
 * {@link #SETTLE}; a terminal that cannot reach a display ends before that.
 */
public final class Windows {
    static final Duration SETTLE = Duration.ofMillis(300);
    private static final File NULL = new File("/dev/null");

    private Windows() {}

    public static Verdict open(OpenWindow w) {
        List<String> command = new ArrayList<>();
        // setsid (util-linux): the window is no longer in this terminal's session, so closing the
        // terminal ctys was started from does not hang it up
        for (String setsid : List.of("/usr/bin/setsid", "/bin/setsid")) {
            if (Files.isExecutable(Path.of(setsid))) {
                command.add(setsid);
                break;
            }
        }
        command.addAll(w.commandLine(self(w.ctysArgs())));
        Path err = null;
        try {
            err = Files.createTempFile("ctys-window-", ".err");
            Process p = new ProcessBuilder(command).redirectInput(NULL).redirectOutput(NULL)
                    .redirectError(err.toFile()).start();
            if (p.waitFor(SETTLE.toMillis(), TimeUnit.MILLISECONDS)) {
                // gnome-terminal hands the window to gnome-terminal-server over D-Bus and returns 0
                if (w.terminal().equals("gnome-terminal") && p.exitValue() == 0) {
                    return Verdict.done("opened", w.terminal() + " window \"" + w.title() + "\" (handed to gnome-terminal-server)");
                }
                String first = reason(w.terminal(), Files.readString(err, StandardCharsets.UTF_8));
                return Verdict.fail("not-opened", w.terminal() + " ended at once (exit status " + p.exitValue() + ")"
                        + (first.isEmpty() ? "" : ": " + first));
            }
            return Verdict.done("opened", w.terminal() + " window \"" + w.title() + "\" (pid " + p.pid() + ")");
        } catch (IOException e) {
            return Verdict.fail("not-opened", "cannot start " + w.terminal() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Verdict.fail("not-opened", "interrupted while starting " + w.terminal());
        } finally {
            // the terminal keeps writing to the file it was given; the name goes now
            if (err != null) {
                try {
                    Files.deleteIfExists(err);
                } catch (IOException e) {
                    // a leftover temp file is harmless
                }
            }
        }
    }

    /**
     * This very ctys with {@code args}: the launcher when the JVM was started through bin/ctys
     * (it passes -Dctys.launcher), else the same java, class path and main class.
     */
    static List<String> self(List<String> args) {
        List<String> c = new ArrayList<>();
        String launcher = System.getProperty("ctys.launcher");
        if (launcher != null && !launcher.isBlank() && Files.isExecutable(Path.of(launcher))) {
            c.add(launcher);
        } else {
            c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            c.add("-cp");
            c.add(System.getProperty("java.class.path"));
            c.add("org.ctys.Main");
        }
        c.addAll(args);
        return c;
    }

    /**
     * The line of the terminal's error output that says what went wrong: its own last word
     * ({@code xterm: DISPLAY is not set}), else the first line. xterm run by root puts a warning
     * about the root user before it.
     */
    static String reason(String program, String stderr) {
        List<String> lines = stderr.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        String own = null;
        for (String l : lines) if (l.startsWith(program + ":")) own = l;
        return own != null ? own : lines.isEmpty() ? "" : lines.get(0);
    }
}
