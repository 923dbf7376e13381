package org.ctys.consoled;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.ctys.console.ConsoleLink;
import org.ctys.inventory.Inventory;
import org.ctys.spi.GenericOptions;
import org.ctys.transport.ipmi.IpmiClient;
import org.ctys.transport.ssh.SshOptions;
import org.ctys.transport.ssh.SshTransport;

/**
 * Opens every kind of console for the daemon, one {@link OpenLink} per console: a serial line
 * ({@link SerialLink}), Serial-over-LAN ({@link SolLink}), a guest's hypervisor console over SSH
 * ({@link GuestLink}), a command on a pty ({@link CommandLink}), a terminal server's TCP port
 * ({@link TcpLink}). Every link's {@code await} sleeps in the kernel until its console sends
 * something, so hundreds of quiet consoles cost nothing between their wake-ups.
 *
 * <p>One SSH transport serves every guest console (one session per hypervisor host, a channel per
 * console); each SOL console has an IPMI client of its own. Close this once the daemon stops,
 * after its links.
 */
public final class Openers implements EndpointOpener, AutoCloseable {

    /** The bounds of the opens and the checks; {@link #DEFAULT} in the daemon, shorter in tests. */
    public record Timing(Duration tcpConnect, Duration guestStart, IpmiClient.Timing ipmi, Duration solQuiet) {
        /** TCP and SSH connects as ctys's SSH steps bound theirs; a quiet BMC is asked after 10 s. */
        public static final Timing DEFAULT = new Timing(Duration.ofSeconds(10), Duration.ofSeconds(30),
                IpmiClient.Timing.DEFAULT, Duration.ofSeconds(10));

        public Timing {
            Objects.requireNonNull(tcpConnect);
            Objects.requireNonNull(guestStart);
            Objects.requireNonNull(ipmi);
            Objects.requireNonNull(solQuiet);
        }
    }

    private final Supplier<Inventory> inventory;
    private final SshTransport ssh;
    private final Timing timing;
    /** Where SOL links ask their quiet BMCs whether they are still there: threads only while a question runs. */
    private final ExecutorService probes;

    /**
     * @param inventory the inventory in force (it changes on a reload): guest hosts are looked up there
     * @param ssh       how guest hosts are reached ({@link #sshOptions})
     */
    public Openers(Supplier<Inventory> inventory, SshOptions ssh) {
        this(inventory, ssh, Timing.DEFAULT);
    }

    public Openers(Supplier<Inventory> inventory, SshOptions ssh, Timing timing) {
        this.inventory = Objects.requireNonNull(inventory);
        this.ssh = new SshTransport(ssh);
        this.timing = timing;
        AtomicInteger n = new AtomicInteger();
        this.probes = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "consoled-sol-check-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The SSH client settings of the daemon's user, as {@code ctys} uses them without options: its
     * ~/.ssh (config, known_hosts, keys), its agent when {@code SSH_AUTH_SOCK} names one, unknown
     * host keys refused; {@code warnings} hears the client's one-line warnings.
     */
    public static SshOptions sshOptions(Consumer<String> warnings) {
        GenericOptions.Ssh d = GenericOptions.Ssh.defaults();
        return new SshOptions(d.config(), d.home(), false, Timing.DEFAULT.tcpConnect(), Timing.DEFAULT.tcpConnect(),
                d.agentSocket(), false, warnings);
    }

    /** The same with the client's home given: {@code home/.ssh} holds its config, known_hosts and keys. */
    public static SshOptions sshOptions(Path home, Consumer<String> warnings) {
        return new SshOptions(null, home, false, Timing.DEFAULT.tcpConnect(), Timing.DEFAULT.tcpConnect(),
                GenericOptions.Ssh.agentFromEnvironment(), false, warnings);
    }

    /**
     * Opens {@code endpoint}. The link is an {@link OpenLink}: the daemon closes it when the console
     * drops or goes.
     *
     * @throws IOException one line naming the endpoint and what is wrong
     */
    @Override
    public OpenLink open(String console, Endpoint endpoint) throws IOException {
        Objects.requireNonNull(endpoint, "endpoint");
        if (endpoint instanceof Endpoint.Serial s) return SerialLink.open(s);
        if (endpoint instanceof Endpoint.Sol s) return SolLink.open(s, timing.ipmi(), timing.solQuiet(), probes);
        if (endpoint instanceof Endpoint.Guest g) return GuestLink.open(g, inventory.get(), ssh, timing.guestStart());
        if (endpoint instanceof Endpoint.Command c) return CommandLink.open(c);
        if (endpoint instanceof Endpoint.Tcp t) return TcpLink.open(t, timing.tcpConnect());
        throw new IllegalArgumentException("no opener for " + endpoint.getClass().getSimpleName());
    }

    /** Closes a link the daemon got from {@link EndpointOpener#open}, whichever type it sees it as. */
    public static void close(ConsoleLink link) {
        if (link instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                // an OpenLink's close never fails
            }
        }
    }

    @Override
    public void close() {
        ssh.close();
        probes.shutdownNow();
    }
}
