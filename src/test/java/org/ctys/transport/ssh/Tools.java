package org.ctys.transport.ssh;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the system tools the integration tests need (OpenSSH, tmux, ipmi_sim, ...). A missing tool
 * fails the test with the Debian package to install: a skipped integration test would look like a
 * passing one.
 */
public final class Tools {

    /** A free TCP port on 127.0.0.1 for a test server. */
    public static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private Tools() {
    }

    public static void require(String path, String debianPackage) {
        if (!Files.isExecutable(Path.of(path))) {
            fail(path + " is missing: install the Debian package " + debianPackage);
        }
    }

    public static void requireRoot() {
        if (!"root".equals(System.getProperty("user.name"))) {
            fail("the OpenSSH integration tests create network namespaces and must run as root");
        }
    }

    /** Runs a command to completion (bounded) and returns its combined output; fails on a non-zero exit. */
    public static String ok(String... command) {
        Result r = run(command);
        if (r.exit != 0) {
            fail(String.join(" ", command) + " exited " + r.exit + ": " + r.output);
        }
        return r.output;
    }

    /** Runs a command whose failure is expected at times, such as removing what may not exist. */
    public static Result run(String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within 30 s");
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command[0], e);
        }
    }

    public record Result(int exit, String output) {
    }
}
