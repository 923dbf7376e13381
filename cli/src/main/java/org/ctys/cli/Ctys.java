package org.ctys.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ctys.engine.CommandOutput;
import org.ctys.engine.Engine;
import org.ctys.engine.run.Progress;
import org.ctys.engine.Report;
import org.ctys.grammar.ActionArgument;
import org.ctys.grammar.Suggest;
import org.ctys.spi.SuboptionValidator;
import org.ctys.grammar.TargetParser;
import org.ctys.grammar.TargetSpec;
import org.ctys.spi.ActionRequest;
import org.ctys.spi.ActionSpec;
import org.ctys.spi.ControlChars;
import org.ctys.exit.CtysException;
import org.ctys.exit.ExitStatus;
import org.ctys.spi.GenericOptions;
import org.ctys.spi.Plan;
import org.ctys.spi.Plugin;
import org.ctys.spi.Suboptions;
import org.ctys.spi.Target;

/**
 * One command from argv to exit status: parse, validate everything (usage errors stop here,
 * nothing sent), resolve targets (configuration errors stop here), plan, run, report.
 */
public final class Ctys {
    static final String VERSION = version();
    private static final String LOG_LEVEL = "org.slf4j.simpleLogger.log.org.apache.sshd";
    /** ctys's own loggers (its RMCP+ sessions log each packet they drop, and why) at debug level. */
    private static final String CTYS_LOG_LEVEL = "org.slf4j.simpleLogger.log.org.ctys";

    private Ctys() {}

    public static int run(PrintStream out, PrintStream err, String... args) {
        return run(out, err, System.getenv(), args);
    }

    public static int run(PrintStream out, PrintStream err, Map<String, String> env, String... args) {
        long started = System.nanoTime();
        boolean verbose = false;
        PrintStream before = System.err;
        try {
            Args cmd = Args.parse(args);
            verbose = cmd.has(Opt.VERBOSE) || Options.debug(cmd) > 0;
            return execute(cmd, out, err, env, started);
        } catch (CtysException e) {
            if (e.status() == ExitStatus.USAGE) Usage.print(err, e.getMessage());
            else err.println("ctys: " + ControlChars.escape(e.getMessage()));
            if (verbose && e.getCause() != null) e.getCause().printStackTrace(EscapedLines.around(err));
            return e.status().code();
        } catch (RuntimeException e) {
            err.println("ctys: internal error: " + ControlChars.escape(String.valueOf(e)) + (verbose ? "" : " (-d 1 shows the stack trace)"));
            if (verbose) e.printStackTrace(EscapedLines.around(err));
            return ExitStatus.FAILED.code();
        } finally {
            out.flush();
            err.flush();
            if (System.err != before) {
                System.err.flush(); // a library's last line without its line end
                System.setErr(before);
            }
        }
    }

    private static int execute(Args cmd, PrintStream out, PrintStream err, Map<String, String> env, long started) {
        if (cmd.has(Opt.VERSION)) {
            out.println("ctys " + VERSION);
            return 0;
        }
        Plugins plugins = Plugins.load();
        if (cmd.has(Opt.HELP)) {
            String type = cmd.value(Opt.TYPE);
            out.print(type == null ? Help.global(plugins, VERSION) : Help.type(plugins.byType(type)));
            return 0;
        }
        // Everything on the command line is checked before anything is looked up or sent.
        List<Plugin> selected = select(cmd, plugins);
        String actionText = cmd.value(Opt.ACTION);
        if (actionText == null) throw CtysException.usage("missing -a ACTION; valid for " + selected.get(0).type()
                + ": " + actionNames(selected.get(0)));
        ActionArgument argument = ActionArgument.parse(actionText);
        Renderer.Format format = Options.output(cmd);
        GenericOptions options = Options.from(cmd, env);
        java.nio.file.Path log = Options.log(cmd);
        // what libraries print goes to standard error with a remote's control characters made visible
        boolean toStandardError = err == System.err;
        if (toStandardError) System.setErr(EscapedLines.around(err));
        // MINA SSHD logs through SLF4J's simple logger: nothing at normal verbosity (ctys reports
        // every failure itself), its warnings from -d 1, its debug output from -d 3
        if (System.getProperty(LOG_LEVEL) == null) {
            System.setProperty(LOG_LEVEL, options.debug() >= 3 ? "debug" : options.debug() >= 1 ? "warn" : "off");
        }
        if (options.debug() >= 3 && System.getProperty(CTYS_LOG_LEVEL) == null) System.setProperty(CTYS_LOG_LEVEL, "debug");
        List<TargetSpec> specs = TargetParser.parse(cmd.targets());
        Resolver.checkOptions(specs);
        List<Checked> checked = new ArrayList<>();
        for (Plugin p : selected) {
            ActionSpec action = p.action(argument.action()).orElseThrow(() -> unknownAction(p, argument.action()));
            checked.add(new Checked(p, action, SuboptionValidator.validate(p.type(), action, argument.suboptions())));
        }

        String inv = cmd.value(Opt.INVENTORY);
        Phases phases = new Phases(options.debug() >= 2 ? err : null, started);
        phases.done("command line");
        Context context = Context.standard(inv == null ? null : java.nio.file.Path.of(inv), env);
        List<Target> targets = new Resolver(context, options.user()).resolve(specs);
        phases.done("inventory and targets (" + targets.size() + ")");
        List<Plan> plans = new ArrayList<>();
        for (Checked c : checked) {
            plans.add(c.plugin.plan(new ActionRequest(c.plugin.type(), c.action, c.suboptions, targets, options), context));
        }

        if (log != null) requireConsole(plans, cmd);
        // what the plans' first steps would wait for (BMC crypto) starts now, while the rest is set up
        if (!options.dryRun()) Engine.prepare(plans);
        phases.done("plan");
        // streamed lines own stdout and stderr: no progress between them
        boolean stream = format == Renderer.Format.STREAM;
        boolean quiet = cmd.has(Opt.QUIET) || options.dryRun() || stream;
        long maxOutput = Options.maxOutput(cmd);
        // animated only when stderr is a terminal: not System.console(), which asks about stdin and stdout
        Progress progress = quiet ? Progress.quiet() : toStandardError ? Progress.onStandardError(err) : Progress.plain(err);
        List<Report> reports = new ArrayList<>();
        // one engine for every plan of the command (-T): each host is logged in to once
        Engine engine = new Engine(options, progress).output(stream ? CommandOutput.streamed(maxOutput, out, err)
                : CommandOutput.gathered(maxOutput)).log(log);
        Interrupts.during(engine::interrupt, () -> reports.addAll(engine.runAll(plans)));
        phases.done("run");
        // an interactive shell's exit status is the command's, and nothing is printed after it
        for (Report r : reports) if (r.shellExit() != null) return r.shellExit();
        if (stream) Renderer.streamEnd(reports, out, err);
        else Renderer.render(reports, format, VERSION, out);
        phases.done("report");
        return worst(reports).code();
    }

    /** --log records a console's session: a command that attaches none (or gives the terminal to a local process) is refused. */
    private static void requireConsole(List<Plan> plans, Args cmd) {
        for (Plan p : plans) {
            if (!Engine.recordsAConsole(p)) {
                throw CtysException.usage("--log records a console session, and " + p.title() + " attaches none that ctys "
                        + "sees; valid with a shell over SSH (-t cli -a create "
                        + "on one target), a console (-t sol) or CONSOLE:CLI|SOL");
            }
        }
    }

    private record Checked(Plugin plugin, ActionSpec action, Suboptions suboptions) {}

    private static List<Plugin> select(Args cmd, Plugins plugins) {
        String type = cmd.value(Opt.TYPE);
        String types = cmd.value(Opt.TYPES);
        if (type != null && types != null) {
            throw CtysException.usage("-t and -T exclude each other; valid: -t TYPE, or -T TYPE,...|ALL for LIST and ENUMERATE");
        }
        if (types != null) {
            List<Plugin> all = plugins.byTypes(types);
            String actionText = cmd.value(Opt.ACTION);
            String action = actionText == null ? "" : ActionArgument.parse(actionText).action();
            List<Plugin> able = all.stream().filter(p -> p.action(action).isPresent()).toList();
            if (!action.equalsIgnoreCase("LIST") && !action.equalsIgnoreCase("ENUMERATE")) {
                throw CtysException.usage("-T widens only LIST and ENUMERATE, not '" + action + "'; use -t TYPE");
            }
            if (able.isEmpty()) throw CtysException.usage("none of the types in -T " + types + " has " + action.toUpperCase());
            return able;
        }
        if (type == null) {
            throw CtysException.usage("missing -t TYPE; valid: " + String.join(", ", plugins.typeNames()));
        }
        return List.of(plugins.byType(type));
    }

    private static String actionNames(Plugin p) {
        return String.join(", ", p.actions().stream().map(ActionSpec::name).toList());
    }

    private static CtysException unknownAction(Plugin p, String action) {
        return CtysException.usage("unknown action '" + action + "' for -t " + p.type() + "; valid: " + actionNames(p)
                + Suggest.didYouMean(action, p.actions().stream().map(ActionSpec::name).toList()));
    }

    static ExitStatus worst(List<Report> reports) {
        ExitStatus worst = ExitStatus.OK;
        for (Report r : reports) if (r.status().code() > worst.code()) worst = r.status();
        return worst;
    }

    private static String version() {
        String v = Ctys.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0";
    }
}
