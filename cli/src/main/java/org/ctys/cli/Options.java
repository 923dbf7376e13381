package org.ctys.cli;

import java.time.Duration;
import java.util.Locale;
import org.ctys.grammar.Durations;
import org.ctys.spi.CtysException;
import org.ctys.spi.GenericOptions;

/** Checks the values of the generic options and turns them into {@link GenericOptions}. */
final class Options {

    private Options() {}

    static GenericOptions from(CtysCommand c) {
        int parallel = GenericOptions.DEFAULT_PARALLEL;
        boolean sequential = false;
        boolean async = false;
        for (String b : c.batch) {
            switch (b.toLowerCase(Locale.ROOT)) {
                case "seq" -> sequential = true;
                case "par" -> sequential = false;
                case "sync" -> async = false;
                case "async" -> async = true;
                default -> {
                    if (!b.matches("\\d{1,6}") || Integer.parseInt(b) < 1) {
                        throw CtysException.usage("bad -b value '" + b + "'; valid: sync, seq, par, or a count such as 16");
                    }
                    parallel = Integer.parseInt(b);
                }
            }
        }
        if (c.parallel != null) {
            if (!c.parallel.matches("\\d{1,6}") || Integer.parseInt(c.parallel) < 1) {
                throw CtysException.usage("bad --parallel '" + c.parallel + "': expected a positive whole number");
            }
            parallel = Integer.parseInt(c.parallel);
        }
        Duration timeout = null;
        if (c.timeout != null) {
            try {
                timeout = Durations.parse(c.timeout);
            } catch (CtysException e) {
                throw CtysException.usage("--timeout: " + e.getMessage());
            }
            if (timeout.isZero()) throw CtysException.usage("--timeout 0: expected a duration above zero");
        }
        Boolean pty = null;
        if (c.pty != null) {
            switch (c.pty.toUpperCase(Locale.ROOT)) {
                case "PTY" -> pty = true;
                case "NOPTY" -> pty = false;
                default -> throw CtysException.usage("bad -z value '" + c.pty + "'; valid: PTY, NOPTY");
            }
        }
        if (c.output != null && !c.output.equalsIgnoreCase("text") && !c.output.equalsIgnoreCase("json")) {
            throw CtysException.usage("bad --output '" + c.output + "'; valid: text, json");
        }
        if (c.output != null && c.output.equalsIgnoreCase("json") && c.terse) {
            throw CtysException.usage("-X and --output json exclude each other; valid: one of them");
        }
        if (c.user != null && c.user.isBlank()) throw CtysException.usage("-l needs a user name");
        int debug = c.debug == null ? 0 : c.debug;
        if (debug < 0 || debug > 3) throw CtysException.usage("bad -d level '" + debug + "'; valid: 0..3");
        return new GenericOptions(c.user, parallel, sequential, async, timeout, c.dryRun, pty, c.agentForwarding, debug);
    }
}
