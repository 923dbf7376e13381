package org.ctys.plugins.pm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ctys.exit.CtysException;
import org.ctys.grammar.Durations;
import org.ctys.inventory.Machine;
import org.ctys.spi.ActionRequest;
import org.ctys.spi.BmcPower;
import org.ctys.spi.Delay;
import org.ctys.spi.Note;
import org.ctys.spi.PlanContext;
import org.ctys.spi.Remote;
import org.ctys.spi.Remotes;
import org.ctys.spi.RunCommand;
import org.ctys.spi.ShellWords;
import org.ctys.spi.Step;
import org.ctys.spi.Suboptions;
import org.ctys.spi.Target;
import org.ctys.spi.Verdict;
import org.ctys.spi.WaitForLogin;
import org.ctys.spi.WaitUntilDown;
import org.ctys.spi.WaitUntilUp;
import org.ctys.stack.Guest;
import org.ctys.stack.GuestPlanner;
import org.ctys.stack.Mode;
import org.ctys.stack.StackWalk;
import org.ctys.stack.VmHost;

/**
 * What PM CANCEL does to the machine itself, around the walk through its guests: the users' warning
 * before (POWEROFF:<delay>), and after the guests, with SELF: arming the card for WoL, the halt over
 * SSH or through the BMC, its confirmation, and on REBOOT the machine and its guests back.
 */
final class SelfSteps {
    static final Duration COMMAND = Duration.ofSeconds(30);
    static final Duration ASK_EVERY = Duration.ofSeconds(1);
    static final Duration BACK_EVERY = Duration.ofSeconds(2);
    static final Duration SSH_TRY = Duration.ofSeconds(10);
    /** How long a machine may take to come back after a reboot: firmware is slow. */
    static final Duration BACK_WITHIN = Duration.ofMinutes(10);

    private final Target target;
    private final VmHost host;
    private final Suboptions sub;
    private final Duration grace;
    private final boolean self;
    private final StackWalk walk;
    private final ActionRequest request;
    private final PlanContext context;
    private final String label;
    private final Remote remote;

    SelfSteps(Target target, VmHost host, Suboptions sub, Duration grace, boolean self, StackWalk walk, ActionRequest request,
              PlanContext context) {
        this.target = target;
        this.host = host;
        this.sub = sub;
        this.grace = grace;
        this.self = self;
        this.walk = walk;
        this.request = request;
        this.context = context;
        this.label = host.label();
        this.remote = host.remote();
        if (sub.has("WOL") && wolInterface() == null && macOf() == null) {
            throw CtysException.config("WOL arms the card that carries the machine's MAC, and none is known for '" + target.display()
                    + "': give it a mac: entry in the inventory, or IF:<interface>");
        }
    }

    /** POWEROFF:<delay>: the logged-in users are told, and get that long. */
    List<Step> before() {
        List<Object> delay = sub.values("POWEROFF");
        if (delay.isEmpty() || ((Duration) delay.get(0)).isZero()) return List.of();
        Duration d = (Duration) delay.get(0);
        String msg = "ctys: " + (self ? label + " goes down" : "the guests of " + label + " go down") + " in " + Durations.format(d)
                + (sub.text("LABEL").map(l -> " (" + l + ")").orElse(""));
        return List.of(new RunCommand(label, remote, "wall " + ShellWords.quote(msg), COMMAND, Verdict.proceed("warned", "users told: " + msg)),
                new Delay(label, d, "the users were told " + Durations.format(d)));
    }

    /** The machine's own step once its guests are handled. */
    Step after(List<Guest> acted, List<Guest> skipped) {
        // L:<label> names the session in the report: the dry run's title has it, a run's report only has this line
        String guests = sub.text("LABEL").map(l -> l + ": ").orElse("") + GuestPlanner.summaryText(walkMode(), acted, skipped);
        if (!self) return new Note(label, Verdict.done(acted.isEmpty() ? "nothing-to-do" : "guests-down", guests + "; " + label
                + " stays up"), Map.of());
        List<Step> steps = new ArrayList<>();
        if (sub.has("WOL")) steps.add(armWol());
        int level = CancelPlanner.initLevel(sub);
        boolean back = sub.has("REBOOT") || sub.has("RESET") || level == 6;
        if (level >= 1 && level <= 5) {
            steps.add(new RunCommand(label, remote, runLevel(level), COMMAND, Verdict.proceed("run-level", "switched to run level " + level)));
            steps.add(new Note(label, Verdict.done("run-level-" + level, guests + "; switched to run level " + level), Map.of()));
            return new Step.Sequence(steps);
        }
        if (sub.has("IPMI")) steps.add(bmcStep());
        else steps.add(new RunCommand(label, remote, halt(level), COMMAND, Verdict.proceed("halting", "asked to " + verb())));
        if (!sub.has("IPMI")) {
            // the BMC confirms its own power off; over SSH only silence says the machine went down
            steps.add(new WaitUntilDown(label, target.address(), sshPort(), tries(grace, ASK_EVERY), ASK_EVERY, ASK_EVERY, grace));
        }
        if (back) {
            steps.add(new WaitUntilUp(label, target.address(), sshPort(), tries(BACK_WITHIN, BACK_EVERY), BACK_EVERY, BACK_EVERY, BACK_WITHIN));
            steps.add(new WaitForLogin(label, Remotes.of(target, request.options(), context), tries(BACK_WITHIN, BACK_EVERY), BACK_EVERY, SSH_TRY));
            steps.add(walk.restart(host, label));
        }
        steps.add(new Note(label, Verdict.done(back ? "back" : sub.has("SUSPEND") ? "suspended" : "down", guests + "; " + label + " "
                + (back ? "rebooted and back" : sub.has("SUSPEND") ? "suspended" : "powered off") + wakeLine()), Map.of()));
        return new Step.Sequence(steps);
    }

    /** Enough tries, {@code every} apart, to fill {@code within}. */
    private static int tries(Duration within, Duration every) {
        return (int) Math.min(Integer.MAX_VALUE, within.toMillis() / every.toMillis() + 1);
    }

    private Mode walkMode() {
        return sub.has("SUSPEND") ? Mode.SUSPEND : sub.has("PAUSE") ? Mode.PAUSE : sub.has("REBOOT") && !self ? Mode.REBOOT : Mode.POWEROFF;
    }

    private String verb() {
        return sub.has("REBOOT") || CancelPlanner.initLevel(sub) == 6 ? "reboot" : sub.has("RESET") ? "reset" : sub.has("SUSPEND") ? "suspend"
                : "power off";
    }

    private BmcPower bmcStep() {
        BmcPower.Procedure p = CancelPlanner.procedure(sub);
        boolean soft = p == BmcPower.Procedure.OFF || p == BmcPower.Procedure.REBOOT;
        return new BmcPower(label, context.bmc(target, "PM CANCEL"), p, null, soft ? grace : null, false, "NONE");
    }

    /** systemd's non-blocking job when the machine has systemctl, else the classic shutdown. */
    private String halt(int level) {
        if (sub.has("RESET")) {
            // an immediate reboot never returns: it is started apart, so the SSH session ends cleanly first
            return "nohup sh -c 'sleep 1; if command -v systemctl >/dev/null 2>&1; then systemctl reboot --force --force;"
                    + " else reboot -f; fi' >/dev/null 2>&1 </dev/null &";
        }
        if (sub.has("SUSPEND")) return "systemctl --no-block suspend";
        boolean reboot = sub.has("REBOOT") || level == 6;
        return "if command -v systemctl >/dev/null 2>&1; then systemctl --no-block " + (reboot ? "reboot" : "poweroff")
                + "; else shutdown " + (reboot ? "-r" : "-h") + " now; fi";
    }

    private static String runLevel(int level) {
        String unit = level == 1 ? "rescue.target" : level == 5 ? "graphical.target" : "multi-user.target";
        return "if command -v systemctl >/dev/null 2>&1; then systemctl isolate " + unit + "; else init " + level + "; fi";
    }

    private RunCommand armWol() {
        String iface = wolInterface();
        String cmd = iface != null ? "ethtool -s " + ShellWords.quote(iface) + " wol g"
                : "for i in /sys/class/net/*; do if [ \"$(cat \"$i/address\")\" = " + macOf() + " ]; then exec ethtool -s \"${i##*/}\" wol g;"
                + " fi; done; echo \"no interface with MAC " + macOf() + " on $(hostname)\" >&2; exit 1";
        return new RunCommand(label, remote, cmd, COMMAND, Verdict.proceed("wol-armed", "network card armed for Wake-on-LAN ("
                + (iface != null ? iface : macOf()) + ")"));
    }

    private String wolInterface() { return sub.text("IF").orElse(null); }

    private String macOf() {
        Machine m = target.machine();
        return m == null || m.macs().isEmpty() ? null : m.macs().get(0).toString();
    }

    /** With BROADCAST or IF: the exact ctys line that wakes the machine again. */
    private String wakeLine() {
        if (!sub.has("WOL") || !(sub.has("BROADCAST") || sub.has("IF"))) return "";
        String how = sub.has("BROADCAST") ? "broadcast:" + sub.first("BROADCAST").orElseThrow() : "if:" + wolInterface();
        // the machine's name, not user@name: a wake sends no login, and the inventory gives the user anyway
        return "; wake it with: ctys -t pm -a create=wol," + how + " " + ShellWords.quote(target.display());
    }

    private int sshPort() {
        Machine m = target.machine();
        return m != null && m.ssh().port() != null ? m.ssh().port() : 22;
    }
}
