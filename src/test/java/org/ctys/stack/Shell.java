package org.ctys.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.ctys.testkit.Proc;

/** Runs a dialect's command line as the host would: {@code sh -c}, bounded. */
final class Shell {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    private Shell() {}

    static Proc.Outcome run(String commandLine) { return run(commandLine, Map.of()); }

    /** With {@code env} added; a "PATH" entry goes before the JVM's PATH. */
    static Proc.Outcome run(String commandLine, Map<String, String> env) {
        Proc.require("sh", "dash");
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", commandLine);
        env.forEach((k, v) -> pb.environment().put(k, k.equals("PATH") ? v + ":" + System.getenv("PATH") : v));
        return Proc.run(pb, null, LIMIT);
    }

    static String virsh() { return Proc.require("virsh", "libvirt-clients"); }

    static Path resource(String name) {
        try {
            return Path.of(Shell.class.getResource(name).toURI());
        } catch (java.net.URISyntaxException e) {
            throw new AssertionError(e);
        }
    }
}
