package org.ctys.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ctys.grammar.Durations;
import org.ctys.engine.CommandOutput;
import org.ctys.grammar.Names;
import org.ctys.grammar.Sizes;
import org.ctys.grammar.Suggest;
import org.ctys.exit.CtysException;
import org.ctys.spi.GenericOptions;

/** Checks the values of the generic options and turns them into {@link GenericOptions}. */
final class Options {

    private Options() {}

    static GenericOptions from(Args c, java.util.Map<String, String> env) {
        int parallel = GenericOptions.DEFAULT_PARALLEL;
        boolean sequential = false;
        boolean async = false;
        for (String b : batchWords(c)) {
            switch (b.toLowerCase(Locale.ROOT)) {
                case "seq" -> sequential = true;
                case "par" -> sequential = false;
                case "sync" -> async = false;
                case "async" -> async = true;
                default -> parallel = positive(b, "-b", "sync, async, seq, par, or a count such as 16");
            }
        }
        String par = c.value(Opt.PARALLEL);
        if (par != null) parallel = positive(par, "--parallel", "a positive whole number");
        Duration timeout = null;
        String t = c.value(Opt.TIMEOUT);
        if (t != null) {
            try {
                timeout = Durations.parse(t);
            } catch (CtysException e) {
                throw CtysException.usage("--timeout: " + e.getMessage());
            }
            if (timeout.isZero()) throw CtysException.usage("--timeout 0: expected a duration above zero");
        }
        Boolean pty = null;
        String z = c.value(Opt.PTY);
        if (z != null) {
            switch (z.toUpperCase(Locale.ROOT)) {
                case "PTY" -> pty = true;
                case "NOPTY" -> pty = false;
                default -> throw CtysException.usage("bad -z value '" + z + "'; valid: PTY, NOPTY"
                        + Suggest.didYouMean(z, List.of("PTY", "NOPTY")));
            }
        }
        output(c);
        maxOutput(c);
        String user = c.value(Opt.USER);
        if (user != null && !Names.isUser(user)) {
            throw CtysException.usage("bad user '" + user + "' for -l: expected " + Names.USER_FORM);
        }
        List<String> jumps = new ArrayList<>();
        String j = c.value(Opt.JUMP);
        if (j != null) {
            for (String hop : j.split(",", -1)) {
                if (org.ctys.grammar.JumpSpec.parseOrNull(hop) == null) {
                    throw CtysException.usage("bad jump host '" + hop + "' in -J " + j + "; expected "
                            + org.ctys.grammar.JumpSpec.FORM_TEXT + ", separated by commas");
                }
                jumps.add(hop);
            }
        }
        String f = c.value(Opt.SSH_CONFIG);
        java.nio.file.Path config = f == null ? null : java.nio.file.Path.of(f);
        if (config != null && !java.nio.file.Files.isReadable(config)) {
            throw CtysException.config("SSH config file " + f + " (given by -F) cannot be read");
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        GenericOptions.Ssh ssh = new GenericOptions.Ssh(config, jumps, c.has(Opt.ACCEPT_NEW), java.nio.file.Path.of(home));
        return new GenericOptions(user, parallel, sequential, async, timeout, c.has(Opt.DRY_RUN), pty,
                c.has(Opt.AGENT), debug(c), ssh);
    }

    static Renderer.Format output(Args c) {
        String output = c.value(Opt.OUTPUT);
        Renderer.Format format = Renderer.Format.TEXT;
        if (output != null) {
            List<String> valid = List.of("text", "json", "stream");
            if (!valid.contains(output.toLowerCase(Locale.ROOT))) {
                throw CtysException.usage("bad --output '" + output + "'; valid: " + String.join(", ", valid)
                        + Suggest.didYouMean(output, valid));
            }
            format = Renderer.Format.valueOf(output.toUpperCase(Locale.ROOT));
        }
        if (format != Renderer.Format.TEXT && c.has(Opt.TERSE)) {
            throw CtysException.usage("-X and --output " + output.toLowerCase(Locale.ROOT) + " exclude each other; valid: one of them");
        }
        return c.has(Opt.TERSE) ? Renderer.Format.TERSE : format;
    }

    /** --max-output SIZE: the cap of each target's gathered output, and of a streamed line. */
    static long maxOutput(Args c) {
        String m = c.value(Opt.MAX_OUTPUT);
        if (m == null) return CommandOutput.DEFAULT_CAP;
        try {
            return Sizes.parse(m, CommandOutput.MIN_CAP, CommandOutput.MAX_CAP);
        } catch (CtysException e) {
            throw CtysException.usage("--max-output: " + e.getMessage());
        }
    }

    /**
     * --log FILE: the file a console session is appended to, checked now (a directory, a file that
     * cannot be written, a missing directory: exit status 3, nothing started); null when not given.
     */
    static java.nio.file.Path log(Args c) {
        String f = c.value(Opt.LOG);
        if (f == null) return null;
        if (f.isEmpty()) throw CtysException.usage("--log needs a FILE");
        java.nio.file.Path file = java.nio.file.Path.of(f);
        String why = org.ctys.console.SessionLog.whyNot(file);
        if (why != null) throw CtysException.config("--log " + f + " cannot be opened: it " + why);
        return file;
    }

    static int debug(Args c) {
        String d = c.value(Opt.DEBUG);
        if (d == null) return 0;
        if (!d.matches("[0-3]")) throw CtysException.usage("bad -d level '" + d + "'; valid: 0, 1, 2, 3");
        return Integer.parseInt(d);
    }

    private static int positive(String text, String option, String valid) {
        if (text.matches("\\d{1,6}") && Integer.parseInt(text) >= 1) return Integer.parseInt(text);
        throw CtysException.usage("bad " + option + " value '" + text + "'; valid: " + valid);
    }

    private static List<String> batchWords(Args c) {
        List<String> words = new ArrayList<>();
        for (String b : c.all(Opt.BATCH)) {
            for (String w : b.split(",", -1)) {
                if (w.isBlank()) throw CtysException.usage("empty word in -b '" + b + "'; valid: sync, async, seq, par, <n>");
                words.add(w.trim());
            }
        }
        return words;
    }
}
