package org.ctys.plugins.console;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ctys.exit.CtysException;
import org.ctys.spi.ActionRequest;
import org.ctys.spi.ActionSpec;
import org.ctys.spi.OpenShell;
import org.ctys.spi.Plan;
import org.ctys.spi.PlanContext;
import org.ctys.spi.Plugin;
import org.ctys.spi.Remotes;
import org.ctys.spi.RunCommand;
import org.ctys.spi.Step;
import org.ctys.spi.SuboptionSpec;
import org.ctys.spi.Target;
import org.ctys.spi.ValueKind;

/** Commands on many hosts at once over SSH, their output gathered and folded. */
public final class CliPlugin implements Plugin {
    static final Duration DEFAULT_TIMEOUT = Duration.ofHours(24);

    static final ActionSpec CREATE = new ActionSpec("CREATE",
            "run a command on every target over SSH, all at once, and gather what each printed; "
                    + "without CMD, open an interactive shell on one target (like ssh -t)",
            List.of(SuboptionSpec.of("CMD", "<command>", "the command to run (a shell command line on the target)",
                            ValueKind.TEXT).aliases("C").build(),
                    SuboptionSpec.of("TIMEOUT", "<d>", "bound of the command on each target (default 24h)",
                            ValueKind.TIMEOUT).build()),
            List.of(), Map.of(), "the hosts to run on (default: localhost); one host for a shell");

    @Override
    public String type() { return "CLI"; }

    @Override
    public String summary() { return "commands on many hosts over SSH, output gathered and folded"; }

    @Override
    public String details() {
        return """
                Output:
                Every target runs the command at the same time (at most --parallel, default 64). The text \
                report folds identical output: one block per distinct output and exit status, headed by the \
                targets that printed it as a node set (lab[01-03,07]), as clush -b does. --output json gives \
                each target's stdout, stderr, exit status and time; -X one record per target. A command that \
                exits non-zero, or a target that cannot be reached, makes the exit status 1; an unknown or \
                changed host key makes it 3 and nothing runs on that host.
                At most --max-output (default 8M) of each target's output and of its error output is kept; \
                the rest is read, so the command runs to its end and its exit status stands, and dropped: \
                the report says "output truncated after 8 MiB", and -X and --output json carry a truncated \
                flag. Output beyond a few KiB per target is kept in a temporary file, not in memory.
                --output stream prints each line as it arrives instead, prefixed by its target \
                (lab01: text), output lines on stdout and error lines on stderr, as pdsh does; a line longer \
                than --max-output is cut. At the end only the targets that did not simply exit 0 are listed, \
                on stderr.

                Reaching the targets:
                ~/.ssh/config (or -F FILE) gives HostName, User, Port, IdentityFile and ProxyJump; -l and \
                USER@ win over it. -J HOST,... reaches every target through those jump hosts, first hop first. \
                A stack address pm01[vm3] goes through pm01 when the inventory says vm3 is only reachable from \
                its host. Host keys must be in ~/.ssh/known_hosts; --accept-new-host-keys adds those of hosts \
                never met before, a changed key is always refused. localhost (and no target) runs here with \
                sh -c, without SSH.

                Interactive shell:
                Without CMD, CREATE opens a shell on one target, as ssh -t does: the local terminal goes raw \
                (Ctrl-C reaches the remote), its size is passed on and kept up to date when the window is \
                resized, the terminal is restored however the shell ends (every setting stty -g shows, the \
                line speed included), and the shell's exit status is ctys's. A SIGINT from another process \
                (kill -INT) ends the session as --timeout does: the shell is closed, the report says so and \
                the exit status is 130; SIGHUP and SIGTERM likewise, with 129 and 143. When stdin is not a \
                terminal there is no pseudo terminal unless -z PTY asks for one.

                Escape sequences (after a newline, the same on every console of ctys; only on a terminal, \
                piped input is sent as it is):
                ~. leaves the shell (exit status 0; the remote shell is closed), ~~ sends one ~, ~? lists \
                them; ~B says this console has no break and sends nothing. They are ctys's own: OpenSSH's \
                ssh is not involved, and sshd on the far end has none. --log FILE records the session.
                """;
    }

    @Override
    public List<ActionSpec> actions() { return List.of(CREATE); }

    @Override
    public Plan plan(ActionRequest request, PlanContext context) {
        java.util.Optional<String> cmd = request.suboptions().text("CMD");
        if (cmd.isEmpty()) return shell(request, context);
        String command = cmd.get();
        Duration timeout = request.suboptions().duration("TIMEOUT").orElse(DEFAULT_TIMEOUT);
        List<Target> targets = targetsOrLocalhost(request);
        List<Step> runs = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (Target t : targets) {
            String label = t.display();
            if (labels.contains(label)) continue;
            labels.add(label);
            Duration bound = t.timeout() != null && t.timeout().compareTo(timeout) < 0 ? t.timeout() : timeout;
            // localhost runs here, without SSH (SPEC §1)
            runs.add(new RunCommand(label, t.isLocal() ? null : Remotes.of(t, request.options(), context), command, bound));
        }
        return new Plan("ctys -t CLI -a CREATE: run on " + labels.size() + (labels.size() == 1 ? " host" : " hosts"),
                labels, new Step.Parallel(0, runs));
    }

    /** Without CMD: an interactive shell, as {@code ssh -t}, on exactly one target. */
    private static Plan shell(ActionRequest request, PlanContext context) {
        if (request.suboptions().duration("TIMEOUT").isPresent()) {
            throw CtysException.usage("TIMEOUT bounds a command given with CMD:, not an interactive shell");
        }
        List<Target> targets = targetsOrLocalhost(request);
        List<String> labels = targets.stream().map(Target::display).distinct().toList();
        if (labels.size() > 1) {
            throw CtysException.usage("CLI CREATE without CMD opens an interactive shell on exactly one target, not "
                    + labels.size() + " (" + String.join(", ", labels) + "); use CMD:<command> to run on many");
        }
        Target t = targets.get(0);
        return new Plan("ctys -t CLI -a CREATE: shell on " + labels.get(0), labels,
                new OpenShell(labels.get(0), t.isLocal() ? null : Remotes.of(t, request.options(), context),
                        request.options().pty()));
    }

    /** No target means the local host (SPEC §1). */
    private static List<Target> targetsOrLocalhost(ActionRequest request) {
        return request.targets().isEmpty()
                ? List.of(new Target("localhost", request.options().user(), List.of(), null, null)) : request.targets();
    }
}
