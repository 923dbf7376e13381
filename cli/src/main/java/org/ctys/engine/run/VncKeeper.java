package org.ctys.engine.run;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.ctys.spi.Verdict;
import org.ctys.spi.ViewVnc;

/**
 * A detached VNC view: a second ctys, in a session of its own ({@code setsid}), runs the view in
 * the foreground (FOREGROUND) and so holds the forward exactly as long as the viewer runs. It
 * tells this one on its standard output, one line, once the viewer runs ({@link #READY}), and
 * closes that output; what it prints afterwards goes to its log file, which is kept. This ctys
 * reports the viewer opened, or the keeper's last words when it ended without a viewer.
 */
public final class VncKeeper {
    /** Set in the keeper's environment: its log file, where the viewer's output goes too. */
    public static final String LOG_VARIABLE = "CTYS_VNC_KEEPER_LOG";
    static final String READY = "ctys-vnc-ready ";
    /** How long the keeper may take to log in through every hop, find the display and start the viewer. */
    static final Duration START_LIMIT = Duration.ofSeconds(90);
    private static final File NULL = new File("/dev/null");

    private VncKeeper() {}

    /** The keeper's log when this process is one, else null. */
    public static File keeperLog() {
        String log = System.getenv(LOG_VARIABLE);
        return log == null || log.isBlank() ? null : new File(log);
    }

    /** Tells the ctys that started this keeper that the viewer runs, and closes the line to it. */
    public static void ready(int localPort, long viewerPid) {
        System.out.println(READY + localPort + " " + viewerPid + " " + ProcessHandle.current().pid());
        System.out.flush();
        System.out.close();
    }

    public static Verdict start(ViewVnc v) {
        List<String> command = new ArrayList<>();
        for (String setsid : List.of("/usr/bin/setsid", "/bin/setsid")) {
            if (Files.isExecutable(Path.of(setsid))) {
                command.add(setsid);
                break;
            }
        }
        command.addAll(Windows.self(v.keeperArgs()));
        Path log;
        try {
            log = Files.createTempFile("ctys-vnc-", ".log");
        } catch (IOException e) {
            return Verdict.fail("not-opened", "cannot create the viewer's log file: " + e.getMessage());
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(NULL)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put(LOG_VARIABLE, log.toString());
        Process keeper;
        try {
            keeper = pb.start();
        } catch (IOException e) {
            return Verdict.fail("not-opened", "cannot start ctys to hold the forward: " + e.getMessage());
        }
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ctys-vnc-watchdog");
            t.setDaemon(true);
            return t;
        });
        // a keeper that neither reports nor ends in time is stopped: its output then ends too
        watchdog.schedule(keeper::destroy, START_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(keeper.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            List<String> said = new ArrayList<>();
            while ((line = r.readLine()) != null) {
                if (!line.startsWith(READY)) {
                    if (!line.isBlank()) said.add(line.strip());
                    continue;
                }
                String[] f = line.substring(READY.length()).trim().split(" ");
                return Verdict.done("opened", v.viewer() + " (pid " + f[1] + ") on 127.0.0.1::" + f[0]
                        + ", forward held by ctys pid " + f[2] + "; log " + log);
            }
            // ended (or stopped) without a viewer: its report says why
            if (!keeper.waitFor(5, TimeUnit.SECONDS)) keeper.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            return Verdict.fail("not-opened", reason(said, Files.readString(log, StandardCharsets.UTF_8), keeper) + " (log " + log + ")");
        } catch (IOException e) {
            return Verdict.fail("not-opened", "lost the ctys that holds the forward: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            keeper.destroy();
            return Verdict.fail("not-opened", "interrupted while the viewer was started");
        } finally {
            watchdog.shutdownNow();
        }
    }

    /** The keeper's own last word: its report's last line, else the end of its log. */
    static String reason(List<String> report, String log, Process keeper) {
        List<String> lines = !report.isEmpty() ? report
                : log.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        String exit = keeper.isAlive() ? "did not start the viewer in " + START_LIMIT.toSeconds() + " s"
                : "ended with exit status " + keeper.exitValue();
        return "the ctys holding the forward " + exit + (lines.isEmpty() ? "" : ": " + lines.get(lines.size() - 1));
    }
}
