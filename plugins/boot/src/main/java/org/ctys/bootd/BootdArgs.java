package org.ctys.bootd;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.ctys.exit.CtysException;
import org.ctys.grammar.Durations;
import org.ctys.grammar.Mac;

/** ctys-bootd's command line, checked whole before the configuration is read or anything is started. */
record BootdArgs(Path config, Mode mode) {
    /** Machine names as the inventory has them; one also names a CD image file in the spool. */
    static final Pattern MACHINE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}");

    sealed interface Mode permits Serve, Check, BuildImage, Help, Version, Add, Await, ListJobs, Cancel {}

    record Serve() implements Mode {}

    record Check() implements Mode {}

    record BuildImage(Optional<String> kernel) implements Mode {}

    record Help() implements Mode {}

    record Version() implements Mode {}

    record Add(String machine, String mac, Job.Via via, Duration limit, boolean keep) implements Mode {}

    record Await(String id, Optional<Duration> limit) implements Mode {}

    record ListJobs(boolean json) implements Mode {}

    record Cancel(String id) implements Mode {}

    private static final class Words {
        private final String[] args;
        private int i;

        Words(String[] args) { this.args = args; }

        boolean more() { return i < args.length; }

        String next() { return args[i++]; }

        String value(String option) {
            if (!more()) throw CtysException.usage(option + " needs a value");
            return next();
        }
    }

    static BootdArgs parse(String[] argv) {
        Words w = new Words(argv);
        Path config = null;
        boolean check = false;
        boolean build = false;
        String kernel = null;
        while (w.more()) {
            String a = w.next();
            switch (a) {
                case "--config" -> {
                    if (config != null) throw CtysException.usage("--config is given twice");
                    String v = w.value(a);
                    if (v.isEmpty()) throw CtysException.usage("--config '' names no file");
                    config = Path.of(v);
                }
                case "--check" -> check = true;
                case "--build-image" -> build = true;
                case "--kernel" -> {
                    kernel = w.value(a);
                    if (!kernel.matches("[A-Za-z0-9][A-Za-z0-9._+-]{0,99}")) {
                        throw CtysException.usage("--kernel '" + kernel + "' is not a kernel version such as 6.1.0-28-amd64");
                    }
                }
                case "--help", "-h" -> {
                    return new BootdArgs(config, new Help());
                }
                case "--version" -> {
                    return new BootdArgs(config, new Version());
                }
                case "job" -> {
                    if (check || build) throw CtysException.usage("job and " + (check ? "--check" : "--build-image") + " exclude each other");
                    return new BootdArgs(config, job(w));
                }
                default -> throw CtysException.usage((a.startsWith("-") ? "unknown option '" : "unexpected word '") + a
                        + "' (valid: --config FILE, --check, --build-image [--kernel VERSION], job add|await|list|cancel, --help, --version)");
            }
        }
        if (check && build) throw CtysException.usage("--check and --build-image exclude each other");
        if (kernel != null && !build) throw CtysException.usage("--kernel goes with --build-image only");
        Mode mode = check ? new Check() : build ? new BuildImage(Optional.ofNullable(kernel)) : new Serve();
        return new BootdArgs(config, mode);
    }

    private static Mode job(Words w) {
        if (!w.more()) throw CtysException.usage("job needs a command: add, await, list or cancel");
        String cmd = w.next();
        return switch (cmd) {
            case "add" -> add(w);
            case "await" -> {
                String id = id(w, "await");
                Duration limit = null;
                while (w.more()) {
                    String a = w.next();
                    if (!a.equals("--limit")) throw CtysException.usage("job await: unexpected '" + a + "' (valid: --limit DURATION)");
                    if (limit != null) throw CtysException.usage("job await: --limit is given twice");
                    limit = limit(w.value(a), "--limit");
                }
                yield new Await(id, Optional.ofNullable(limit));
            }
            case "list" -> {
                boolean json = false;
                while (w.more()) {
                    String a = w.next();
                    if (!a.equals("--json")) throw CtysException.usage("job list: unexpected '" + a + "' (valid: --json)");
                    json = true;
                }
                yield new ListJobs(json);
            }
            case "cancel" -> {
                String id = id(w, "cancel");
                if (w.more()) throw CtysException.usage("job cancel: unexpected '" + w.next() + "' (one job id)");
                yield new Cancel(id);
            }
            default -> throw CtysException.usage("job: unknown command '" + cmd + "' (valid: add, await, list, cancel)");
        };
    }

    private static String id(Words w, String cmd) {
        if (!w.more()) throw CtysException.usage("job " + cmd + " needs a job id");
        String id = w.next();
        if (!JobStore.ID.matcher(id).matches()) {
            throw CtysException.usage("job " + cmd + ": '" + id + "' is not a job id (" + JobStore.ID_FORM + ")");
        }
        return id;
    }

    private static Add add(Words w) {
        String machine = null;
        String mac = null;
        Job.Via via = null;
        Duration limit = null;
        boolean keep = false;
        while (w.more()) {
            String a = w.next();
            switch (a) {
                case "--machine" -> {
                    machine = w.value(a);
                    if (!MACHINE.matcher(machine).matches()) {
                        throw CtysException.usage("--machine '" + machine + "' is not a machine name (letters, digits, '-', '_', '.')");
                    }
                }
                case "--mac" -> mac = Mac.parse(w.value(a)).toString();
                case "--via" -> {
                    String v = w.value(a).toLowerCase(Locale.ROOT);
                    via = switch (v) {
                        case "pxe" -> Job.Via.PXE;
                        case "cdrom" -> Job.Via.CDROM;
                        default -> throw CtysException.usage("--via '" + v + "' is not pxe or cdrom");
                    };
                }
                case "--limit" -> limit = limit(w.value(a), "--limit");
                case "--keep" -> keep = true;
                default -> throw CtysException.usage("job add: unexpected '" + a
                        + "' (valid: --machine NAME, --mac MAC, --via pxe|cdrom, --limit DURATION, --keep)");
            }
        }
        if (machine == null) throw CtysException.usage("job add needs --machine NAME");
        if (mac == null) throw CtysException.usage("job add needs --mac MAC");
        if (via == null) throw CtysException.usage("job add needs --via pxe|cdrom");
        if (limit == null) throw CtysException.usage("job add needs --limit DURATION (how long the token is good)");
        return new Add(machine, mac, via, limit, keep);
    }

    private static Duration limit(String text, String option) {
        try {
            return Durations.parseBound(text);
        } catch (CtysException e) {
            throw CtysException.usage(option + ": " + e.getMessage());
        }
    }
}
