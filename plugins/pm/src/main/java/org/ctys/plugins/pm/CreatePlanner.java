package org.ctys.plugins.pm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ctys.grammar.Mac;
import org.ctys.grammar.Suggest;
import org.ctys.inventory.Machine;
import org.ctys.inventory.WolSettings;
import org.ctys.spi.ActionRequest;
import org.ctys.spi.AttachSol;
import org.ctys.spi.BmcPower;
import org.ctys.exit.CtysException;
import org.ctys.spi.MagicPacket;
import org.ctys.spi.MagicPackets;
import org.ctys.spi.Note;
import org.ctys.spi.Plan;
import org.ctys.spi.PlanContext;
import org.ctys.spi.Probe;
import org.ctys.spi.Remote;
import org.ctys.spi.Remotes;
import org.ctys.spi.RunCommand;
import org.ctys.spi.WaitForLogin;
import org.ctys.spi.Step;
import org.ctys.spi.Suboptions;
import org.ctys.spi.Target;
import org.ctys.spi.Verdict;
import org.ctys.spi.WaitUntilUp;
import org.ctys.stack.Consoles;

/**
 * Plans PM CREATE by Wake-on-LAN: find out which machines are already up, send every packet,
 * then wait for each machine in parallel. Which machine and from where follows SPEC.md §3:
 * when LABEL/TCP/MAC/BMAC name the machine, the targets are gateways.
 */
final class CreatePlanner {
    static final int DEFAULT_TRIES = 60;
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);
    static final Duration MAX_TRY = Duration.ofSeconds(2);
    static final Duration SSH_TRY = Duration.ofSeconds(10);
    static final Duration GATEWAY_TIMEOUT = Duration.ofSeconds(30);
    static final String ANY = "255.255.255.255";

    private final ActionRequest request;
    private final PlanContext context;
    private final Suboptions sub;
    // looked up once, not once per machine: a call may wake thousands
    private final Mac givenMac;
    private final Mac bmac;
    private final String givenInterface;
    private final String givenBroadcast;
    private final Integer givenPort;
    private final Map<String, String> broadcasts = new HashMap<>();
    private final Map<String, Duration> timeouts = new HashMap<>();
    private final Consoles.Kind console;
    private final Map<String, Wake> wakes = new LinkedHashMap<>();

    CreatePlanner(ActionRequest request, PlanContext context) {
        this.request = request;
        this.context = context;
        this.sub = request.suboptions();
        this.givenMac = sub.first("MAC", Mac.class).orElse(null);
        this.bmac = sub.first("BMAC", Mac.class).orElse(null);
        this.givenInterface = sub.text("IF").orElse(null);
        this.givenBroadcast = sub.text("BROADCAST").orElse(null);
        this.givenPort = sub.first("PORT", Integer.class).orElse(null);
        this.console = Consoles.of(request);
    }

    Plan plan() {
        for (String key : List.of("PING", "SSHPING")) {
            List<Object> v = sub.values(key);
            if (v.size() == 2 && ((Duration) v.get(1)).isZero()) {
                throw CtysException.usage(key + ":" + v.get(0) + "%0: the tries must be some time apart;"
                        + " valid: an interval above zero, e.g. " + key + ":40%3");
            }
        }
        // one terminal: checked before anything is looked up for the machines
        if (!namesMachine()) Consoles.oneTerminal(console, request.targets().stream().map(Target::label).distinct().toList());
        if (sub.has("IPMI")) {
            Plan powered = ipmiPlan();
            return console == Consoles.Kind.SOL ? powered : PmConsoles.then(powered, console, this::consoleTarget, request, context);
        }
        // a machine named twice (lab01 lab01, or in two groups) is woken and reported once
        Map<String, Wake> byLabel = new LinkedHashMap<>();
        for (Wake w : namesMachine() ? fromSuboptions() : fromTargets()) byLabel.putIfAbsent(w.label(), w);
        List<Wake> wakes = List.copyOf(byLabel.values());
        List<String> labels = List.copyOf(byLabel.keySet());
        this.wakes.putAll(byLabel);
        return PmConsoles.then(new Plan(title(wakes.size()), labels, steps(wakes), timeouts), console, this::consoleTarget,
                request, context);
    }

    /**
     * The machine a console opens on, by its report label: a target as given (with its user), or
     * the machine the suboptions named, by its inventory name or its address.
     */
    private Target consoleTarget(String label) {
        Wake w = wakes.get(label);
        if (w == null || !namesMachine()) {
            return request.targets().stream().filter(t -> t.name().equals(label)).findFirst().orElseThrow();
        }
        Machine m = context.machine(label).orElse(null);
        if (w.address() == null && m == null) {
            throw CtysException.config("no address known for '" + label + "' to open CONSOLE:" + console
                    + " on: give TCP:<addr>, or LABEL: of an inventory machine with host:");
        }
        return new Target(m != null ? m.name() : w.address(), request.options().user(), List.of(), m, null);
    }

    /** Power on through the BMCs, then wait as after Wake-on-LAN: the targets are the machines. */
    private Plan ipmiPlan() {
        for (String key : List.of("LABEL", "TCP", "MAC", "BMAC", "BROADCAST", "PORT", "IF")) {
            if (sub.has(key)) {
                throw CtysException.usage(key + ": is for Wake-on-LAN; with IPMI the targets are the machines, powered on"
                        + " through their own BMCs (valid: create=ipmi[,boot:pxe] lab01 lab02)");
            }
        }
        Bmc.needTargets(request.targets(), "power on");
        boolean async = request.options().async();
        boolean pingOff = sub.isKeyword("PING", "OFF") || async;
        boolean sshPing = loginFirst() && !async;
        String policy = sub.has("CONNECT") ? "CONNECT" : sub.has("REUSE") ? "REUSE" : "NONE";
        String boot = sub.text("BOOT").orElse(null);
        Duration limit = sub.duration("TIMEOUT").orElse(null);
        Map<String, Step> perTarget = new LinkedHashMap<>();
        for (Target t : request.targets()) {
            if (perTarget.containsKey(t.name())) continue;
            var bmc = context.bmc(t, "PM CREATE");
            Machine m = t.machine();
            boolean canAsk = !pingOff;
            Remote remote = sshPing ? Remotes.of(t, request.options(), context) : null;
            List<Step> steps = new ArrayList<>();
            steps.add(new BmcPower(t.name(), bmc, BmcPower.Procedure.ON, boot, null, !canAsk && remote == null, policy));
            int probePort = m.ssh().port() != null ? m.ssh().port() : 22;
            if (canAsk) steps.add(new WaitUntilUp(t.name(), t.address(), probePort, tries(), interval(), tryTimeout(), limit));
            if (remote != null) steps.add(new WaitForLogin(t.name(), remote, sshTries(), sshInterval(), SSH_TRY));
            perTarget.put(t.name(), steps.size() == 1 ? steps.get(0) : new Step.Sequence(steps));
            if (t.timeout() != null) timeouts.put(t.name(), t.timeout());
        }
        if (console == Consoles.Kind.SOL) return withConsole(perTarget.keySet(), boot, policy);
        int n = perTarget.size();
        String verb = sub.has("CONNECT") ? "use" : "power on";
        return new Plan("ctys -t PM -a CREATE: " + verb + " " + n + (n == 1 ? " machine" : " machines") + " through their BMCs",
                List.copyOf(perTarget.keySet()), new Step.Parallel(0, List.copyOf(perTarget.values())), timeouts);
    }

    /**
     * CONSOLE:SOL: power on (or find on), then attach the terminal to the machine's Serial-over-LAN,
     * so that its boot is seen from the first line; no waiting for ping or SSH comes between.
     */
    private Plan withConsole(java.util.Set<String> names, String boot, String policy) {
        if (names.size() != 1) {
            throw CtysException.usage("CONSOLE:SOL attaches one terminal to one machine, not " + names.size()
                    + "; valid: one target");
        }
        if (sub.has("SSHPING") && !sub.isKeyword("SSHPING", "OFF")) {
            throw CtysException.usage("SSHPING with CONSOLE:SOL: the console is attached right after the power-on,"
                    + " before any wait; valid: one of them");
        }
        Target t = request.targets().stream().filter(x -> names.contains(x.name())).findFirst().orElseThrow();
        var bmc = context.bmc(t, "PM CREATE");
        return new Plan("ctys -t PM -a CREATE: power on " + t.name() + " through its BMC and attach its Serial-over-LAN console",
                List.of(t.name()), new Step.Sequence(List.of(
                        new BmcPower(t.name(), bmc, BmcPower.Procedure.ON, boot, null, false, policy),
                        new AttachSol(t.name(), bmc, false))), timeouts);
    }

    private String title(int n) {
        String verb = sub.has("CONNECT") ? "use" : "wake";
        return "ctys -t PM -a CREATE: " + verb + " " + n + (n == 1 ? " machine" : " machines");
    }

    private boolean namesMachine() {
        return sub.has("LABEL") || sub.has("TCP") || sub.has("MAC") || sub.has("BMAC");
    }

    /** The suboptions name one machine; the targets are where the packet is sent from. */
    private List<Wake> fromSuboptions() {
        List<Target> gateways = request.targets().stream().filter(t -> !t.isLocal()).toList();
        if (gateways.size() > 1) {
            throw CtysException.usage("several gateways (" + gateways.get(0).label() + ", " + gateways.get(1).label()
                    + ", ...) for one machine; valid: one gateway, or none to send from here");
        }
        Remote gateway = gateways.isEmpty() ? null : Remotes.of(gateways.get(0), request.options(), context);
        Machine machine = null;
        String label;
        String address = null;
        if (sub.has("LABEL")) {
            label = sub.text("LABEL").orElseThrow();
            machine = context.machine(label).orElseThrow(() -> unknownMachine(label));
            address = machine.host();
        } else if (sub.has("TCP")) {
            address = sub.text("TCP").orElseThrow();
            machine = byAddress(address).orElse(null);
            label = machine != null ? machine.name() : address;
        } else if (sub.has("MAC")) {
            Mac mac = sub.first("MAC", Mac.class).orElseThrow();
            machine = byMac(mac).orElse(null);
            label = machine != null ? machine.name() : mac.toString();
            address = machine != null ? machine.host() : null;
        } else {
            label = sub.first("BMAC", Mac.class).orElseThrow().toString();
        }
        List<Mac> macs = macsOf(label, machine, address);
        Target named = new Target(address != null ? address : label, request.options().user(), List.of(), machine, null);
        return List.of(wake(label, machine, macs, address, address == null ? null
                : Remotes.of(named, request.options(), context), gateway));
    }

    /** No suboption names the machine: the targets are the machines to wake. */
    private List<Wake> fromTargets() {
        if (request.targets().isEmpty()) {
            throw CtysException.usage("no machine to wake: give targets (lab01 lab[02-09] @group) or one of "
                    + "LABEL:, TCP:, MAC:, BMAC:");
        }
        List<Wake> wakes = new ArrayList<>(request.targets().size());
        for (Target t : request.targets()) {
            if (!t.stack().isEmpty()) {
                throw CtysException.usage("'" + t.label() + "' is a stack address; PM CREATE wakes physical machines,"
                        + " valid: '" + t.name() + "'");
            }
            Machine m = t.machine();
            String gw = m == null ? null : m.wol().gateway();
            Remote gateway = gw == null || Target.isLocalName(gw) ? null : Remotes.of(new Target(gw,
                    request.options().user(), List.of(), context.machine(gw).orElse(null), null), request.options(), context);
            wakes.add(wake(t.name(), m, macsOf(t.name(), m, t.address()), t.address(),
                    Remotes.of(t, request.options(), context), gateway));
            if (t.timeout() != null) timeouts.put(t.name(), t.timeout());
        }
        return wakes;
    }

    private List<Mac> macsOf(String label, Machine machine, String address) {
        if (givenMac != null) return List.of(givenMac);
        if (machine != null && !machine.macs().isEmpty()) return machine.macs();
        Optional<Mac> ethers = context.ethers(label).or(() -> address == null ? Optional.empty() : context.ethers(address));
        if (ethers.isPresent()) return List.of(ethers.get());
        if (bmac != null) return List.of(bmac);
        throw CtysException.config("no MAC address known for '" + label + "': give it 'mac:' in the inventory ("
                + context.inventorySource().orElse("none in use") + "), a line in /etc/ethers, or BMAC:<mac>");
    }

    private Wake wake(String label, Machine m, List<Mac> macs, String address, Remote remote, Remote gateway) {
        // a host the inventory does not name is woken as its defaults say
        WolSettings wol = m != null ? m.wol() : context.defaultWol();
        if (gateway != null && givenInterface != null) {
            throw CtysException.usage("IF:" + givenInterface + " for '" + label + "' woken from gateway "
                    + gateway.host() + " " + PmActions.NOT_YET + "; valid there: BROADCAST:<ip>");
        }
        String iface = givenInterface;
        String destination = givenBroadcast;
        if (iface != null) {
            destination = broadcastOf(iface, () -> CtysException.usage("interface '" + givenInterface
                    + "' of IF: has no IPv4 broadcast address here; valid: " + validInterfaces()
                    + Suggest.didYouMean(givenInterface, context.interfaceNames())));
        } else if (destination == null) {
            // the inventory may give both: to that broadcast address, out of that interface
            iface = wol.interfaceName();
            String inventoryIface = iface;
            String fromIface = iface == null ? null : broadcastOf(iface, () -> CtysException.config("interface '"
                    + inventoryIface + "' in the wol settings of '" + label + "' (" + context.inventorySource()
                    .orElse("inventory") + ") has no IPv4 broadcast address here; valid: " + validInterfaces()));
            destination = wol.broadcast() != null ? wol.broadcast() : fromIface != null ? fromIface : ANY;
        }
        int port = givenPort != null ? givenPort : wol.port() != null ? wol.port() : 9;
        int probePort = m != null && m.ssh().port() != null ? m.ssh().port() : 22;
        if (gateway != null) {
            // the interface and the password would be the gateway's business; neither is sent there yet
            if (iface != null) {
                throw CtysException.usage("IF:/interface '" + iface + "' for '" + label + "' woken from gateway "
                        + gateway.host() + " " + PmActions.NOT_YET + "; valid there: BROADCAST:<ip>");
            }
            if (wol.secureOn() != null) {
                throw CtysException.config("a SecureOn password for '" + label + "' woken from gateway " + gateway.host()
                        + " " + PmActions.NOT_YET + " (it would have to cross to the gateway)");
            }
            if (sub.has("WOL") && sub.duration("WOL").isPresent()) {
                throw CtysException.usage("WOL:<delay> with a gateway " + PmActions.NOT_YET + "; valid: WOL");
            }
        }
        return new Wake(label, macs, address, probePort, destination, port, iface, wol.secureOn(), remote, gateway);
    }

    private String broadcastOf(String iface, java.util.function.Supplier<CtysException> missing) {
        String b = broadcasts.computeIfAbsent(iface, i -> context.interfaceBroadcast(i)
                .map(java.net.InetAddress::getHostAddress).orElse(""));
        if (b.isEmpty()) throw missing.get();
        return b;
    }

    private String validInterfaces() {
        List<String> names = context.interfaceNames();
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    private Step steps(List<Wake> wakes) {
        boolean connect = sub.has("CONNECT");
        boolean async = request.options().async();
        boolean pingOff = sub.isKeyword("PING", "OFF") || async;
        boolean sshPing = loginFirst();
        List<Step> probes = new ArrayList<>();
        List<Step> waits = new ArrayList<>();
        List<Step> notes = new ArrayList<>();
        List<MagicPacket> packets = new ArrayList<>();
        List<Step> remoteSends = new ArrayList<>();
        Verdict up = upVerdict();
        Verdict down = downVerdict();
        Duration probeTimeout = probeTimeout();
        int tries = tries();
        Duration interval = interval();
        Duration tryTimeout = tryTimeout();
        Duration limit = sub.duration("TIMEOUT").orElse(null);
        for (Wake w : wakes) {
            boolean canAsk = w.address() != null && !pingOff;
            boolean confirmed = canAsk || (sshPing && w.remote() != null && !async);
            if (canAsk) probes.add(new Probe(w.label(), w.address(), w.probePort(), probeTimeout, up, down));
            if (connect) {
                if (!canAsk) notes.add(new Note(w.label(), Verdict.fail("unknown",
                        "CONNECT needs to ask whether it is up, but " + (pingOff ? "PING:OFF or -b async was given" : "no address is known"))
                        , Map.of()));
                continue;
            }
            Verdict sent = confirmed ? Verdict.proceed("sent", "magic packet sent to " + w.destination() + ":" + w.port())
                    : Verdict.done("sent", "magic packet sent; not confirmed: " + (async ? "-b async" : pingOff
                    ? "PING:OFF" : "no address known to ping (give TCP:<addr> or host: in the inventory)"));
            if (w.gateway() != null) {
                Verdict fromGateway = new Verdict(sent.effect(), "sent", sent.message().replace("magic packet sent",
                        "magic packet sent from " + w.gateway().host()));
                remoteSends.add(new RunCommand(w.label(), w.gateway(),
                        GatewayCommand.perl(w.macs(), w.destination(), w.port()), GATEWAY_TIMEOUT, fromGateway));
            }
            Verdict more = Verdict.proceed("sent", sent.message());
            // only the last packet of a machine (one per MAC) may finish it
            for (int i = 0; w.gateway() == null && i < w.macs().size(); i++) {
                packets.add(new MagicPacket(w.label(), w.macs().get(i), w.destination(), w.port(), w.interfaceName(),
                        w.secureOn(), i == w.macs().size() - 1 ? sent : more));
            }
            Step ping = canAsk ? new WaitUntilUp(w.label(), w.address(), w.probePort(), tries, interval, tryTimeout, limit) : null;
            Step login = sshPing && w.remote() != null && !async
                    ? new WaitForLogin(w.label(), w.remote(), sshTries(), sshInterval(), SSH_TRY) : null;
            if (ping != null && login != null) waits.add(new Step.Sequence(List.of(ping, login)));
            else if (ping != null) waits.add(ping);
            else if (login != null) waits.add(login);
        }
        List<Step> seq = new ArrayList<>();
        if (!probes.isEmpty()) seq.add(new Step.Parallel(0, probes));
        if (!packets.isEmpty()) seq.add(new MagicPackets(packets, sub.duration("WOL").orElse(null)));
        if (!remoteSends.isEmpty()) seq.add(new Step.Parallel(0, remoteSends));
        if (!waits.isEmpty()) seq.add(new Step.Parallel(0, waits));
        seq.addAll(notes);
        return new Step.Sequence(seq);
    }

    /** SSHPING as given; an SSH console (CLI, XTERM, GTERM, and VNC, forwarded over SSH) waits for a login too unless SSHPING:OFF says not to. */
    private boolean loginFirst() {
        if (sub.has("SSHPING")) return !sub.isKeyword("SSHPING", "OFF");
        return console == Consoles.Kind.CLI || console == Consoles.Kind.XTERM || console == Consoles.Kind.GTERM
                || console == Consoles.Kind.VNC;
    }

    private Verdict upVerdict() {
        if (sub.has("CONNECT")) return Verdict.done("up", "up; connected" + (console == Consoles.Kind.NONE ? " (CONSOLE:NONE)"
                : ", opening CONSOLE:" + console));
        if (sub.has("REUSE")) return Verdict.done("up", "already up; reused, nothing sent");
        if (sub.has("RESUME")) return Verdict.done("up", "already up and not suspended; nothing sent");
        return Verdict.done("up", "already up; nothing sent");
    }

    private Verdict downVerdict() {
        if (sub.has("CONNECT")) return Verdict.fail("down", "does not answer; CONNECT does not wake it (REUSE does)");
        return Verdict.proceed("down", "does not answer; waking it");
    }

    private int tries() {
        int n = sub.values("PING").size() == 2 ? (Integer) sub.values("PING").get(0) : DEFAULT_TRIES;
        Optional<Duration> limit = sub.duration("TIMEOUT");
        if (limit.isPresent()) {
            long byTime = Math.max(1, (limit.get().toMillis() + interval().toMillis() - 1) / interval().toMillis());
            n = (int) Math.min(n, byTime);
        }
        return n;
    }

    private int sshTries() {
        List<Object> v = sub.values("SSHPING");
        return v.size() == 2 ? (Integer) v.get(0) : DEFAULT_TRIES;
    }

    private Duration sshInterval() {
        List<Object> v = sub.values("SSHPING");
        return v.size() == 2 ? (Duration) v.get(1) : DEFAULT_INTERVAL;
    }

    private Duration interval() {
        List<Object> ping = sub.values("PING");
        return ping.size() == 2 ? (Duration) ping.get(1) : DEFAULT_INTERVAL;
    }

    private Duration tryTimeout() {
        Duration t = interval().compareTo(MAX_TRY) < 0 ? interval() : MAX_TRY;
        return t.toMillis() < 200 ? Duration.ofMillis(200) : t;
    }

    private Duration probeTimeout() {
        Duration t = sub.duration("TIMEOUT").filter(d -> d.compareTo(Duration.ofSeconds(1)) < 0).orElse(Duration.ofSeconds(1));
        return t.toMillis() < 200 ? Duration.ofMillis(200) : t;
    }

    private CtysException unknownMachine(String name) {
        List<String> names = context.machines().stream().map(Machine::name).toList();
        return CtysException.config("unknown machine '" + name + "' in LABEL:" + name + " (inventory: "
                + context.inventorySource().orElse("none in use") + ")" + Suggest.didYouMean(name, names));
    }

    private Optional<Machine> byAddress(String address) {
        return context.machine(address).or(() -> context.machines().stream()
                .filter(m -> address.equals(m.host())).findFirst());
    }

    private Optional<Machine> byMac(Mac mac) {
        return context.machines().stream().filter(m -> m.macs().contains(mac)).findFirst();
    }

}
