package org.ctys.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The settings of the terminal on standard input, saved and given back with {@code stty} on that
 * same terminal: {@code stty -g} prints all of them (modes, control characters and the line
 * speed) in a form that {@code stty} takes back as it is.
 */
final class Stty {
    private static final long LIMIT_SECONDS = 5;

    private Stty() {}

    /** {@code stty -g} of standard input, or null when it cannot be had (no stty, not a terminal). */
    static String save() {
        String[] out = new String[1];
        return run(out, "stty", "-g") && out[0].matches("[0-9a-fA-F:]+") ? out[0] : null;
    }

    /** Gives back what {@link #save()} returned; false when stty refused it. */
    static boolean restore(String saved) {
        return run(new String[1], "stty", saved);
    }

    private static boolean run(String[] out, String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] printed = p.getInputStream().readAllBytes();
            if (!p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            out[0] = new String(printed, StandardCharsets.US_ASCII).strip();
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
