package org.ctys.transport.ssh;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * ctys as a sysadmin runs it, in its own JVM, for the integration tests: HOME is the test's (its
 * ~/.ssh decides what is reached and trusted), and no inventory or /etc/ethers of this machine is read.
 * Output goes to files, so a command that fills one stream never blocks on the other.
 */
public final class CtysProcess {
    private static final long LIMIT_SECONDS = 120;

    public record Run(int exit, String out, String err) {}

    private CtysProcess() {}

    /**
     * @param env   extra environment (PATH, DISPLAY, SSH_AUTH_SOCK, ...), applied last
     * @param stdin what ctys reads, or null for /dev/null
     */
    public static Run run(Path home, Map<String, String> env, String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.ctys.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> e = pb.environment();
        e.put("HOME", home.toString());
        e.put("CTYS_ETHERS", home.resolve("no-ethers").toString());
        e.put("CTYS_SYSTEM_INVENTORY", home.resolve("no-inventory.yaml").toString());
        e.remove("CTYS_INVENTORY");
        e.remove("WAYLAND_DISPLAY");
        e.putAll(env);
        Path out = Files.createTempFile("ctys-out-", ".txt");
        Path err = Files.createTempFile("ctys-err-", ".txt");
        try {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            if (stdin == null) pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Process p = pb.start();
            if (stdin != null) {
                try (OutputStream in = p.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError("ctys did not end within " + LIMIT_SECONDS + " s: " + String.join(" ", args));
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
