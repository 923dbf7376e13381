package org.ctys.consoled;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.ctys.console.OutputTail;
import org.ctys.grammar.JumpSpec;
import org.ctys.inventory.Inventory;
import org.ctys.inventory.Machine;
import org.ctys.spi.GenericOptions;
import org.ctys.spi.Remote;
import org.ctys.spi.Remotes;
import org.ctys.spi.Target;
import org.ctys.stack.Dialect;
import org.ctys.stack.Stacks;
import org.ctys.stack.VmHost;
import org.ctys.transport.ssh.ConsoleChannel;
import org.ctys.transport.ssh.SshFailure;
import org.ctys.transport.ssh.SshTarget;
import org.ctys.transport.ssh.SshTransport;

/**
 * A guest's hypervisor console ({@code virsh console}, {@code xl console}) run on its host on a
 * pseudo terminal over SSH, as {@code -t kvm -a create=...,console:serial} runs it: the same
 * command line (the KVM and XEN dialects), the host reached as a ctys target (an inventory machine
 * with its SSH user, port and jump hosts, else {@code [user@]host[:port]}). Never with
 * {@code --force}: a console another client holds is left to it, and the daemon tries again later.
 * A command that ends (a guest that is not running, Ctrl-] typed by a writer) or a connection that
 * is lost makes {@link #read()} throw, naming the last line the command printed.
 */
final class GuestLink implements OpenLink {
    /** The terminal the console command is given; a console server has no terminal of its own to copy. */
    static final String TERM = "xterm";
    private static final int COLUMNS = 80;
    private static final int ROWS = 24;
    /** How much of the end of its output is kept to say why the console command ended. */
    private static final int LAST_OUTPUT = 256;

    private final ConsoleChannel channel;
    private final String what;
    private final OutputTail tail = new OutputTail(LAST_OUTPUT);

    private GuestLink(ConsoleChannel channel, String what) {
        this.channel = channel;
        this.what = what;
    }

    /** The console command line on the guest's host: the dialect's, with the URI the inventory gives the host. */
    static String command(Endpoint.Guest guest, Machine host) throws IOException {
        Dialect dialect = Stacks.dialect(guest.hypervisor()).orElseThrow(() -> new IOException(guest.describe()
                + ": hypervisor " + guest.hypervisor().text() + " has no console (valid: kvm, xen)"));
        String why = Dialect.notByName(dialect, guest.domain());
        // another guest's console would be logged under this one's name
        if (why != null) throw new IOException(guest.describe() + ": " + why + "; a console is not opened by such a name");
        String uri = guest.uri() != null ? guest.uri() : host != null && host.uri() != null ? host.uri() : VmHost.DEFAULT_URI;
        return dialect.console(uri, guest.domain(), false);
    }

    /** How to reach the host over SSH: an inventory machine as every ctys step reaches it, else {@code [user@]host[:port]}. */
    static Remote remote(String host, Inventory inventory) throws IOException {
        Machine m = inventory.machine(host).orElse(null);
        if (m != null) {
            return Remotes.of(new Target(host, m.ssh().user(), List.of(), m, null), GenericOptions.defaults(), null);
        }
        JumpSpec spec = JumpSpec.parseOrNull(host);
        if (spec == null) {
            throw new IOException("host '" + host + "' is neither a machine of the inventory nor " + JumpSpec.FORM_TEXT);
        }
        return new Remote(spec.host(), spec.user(), spec.port(), List.of());
    }

    static GuestLink open(Endpoint.Guest guest, Inventory inventory, SshTransport ssh, Duration start) throws IOException {
        try {
            Machine host = inventory.machine(guest.host()).orElse(null);
            String command = command(guest, host);
            Remote r = remote(guest.host(), inventory);
            ConsoleChannel channel = ssh.console(new SshTarget(r.host(), r.user(), r.port(), r.jumps()), command, TERM, COLUMNS,
                    ROWS, start);
            return new GuestLink(channel, guest.describe());
        } catch (SshFailure e) {
            throw new IOException(guest.describe() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw e.getMessage().startsWith(guest.describe()) ? e : new IOException(guest.describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void await(long millis) throws InterruptedException { channel.await(millis); }

    @Override
    public byte[] read() throws IOException {
        try {
            byte[] data = channel.read();
            tail.keep(data);
            return data;
        } catch (ConsoleChannel.Ended e) {
            String last = lastLine();
            throw new IOException(what + ": " + e.getMessage() + (last.isEmpty() ? "" : " (its last words: " + last + ")"), e);
        }
    }

    /** The last non-empty line of output, printable characters only, for the message. */
    String lastLine() {
        List<String> lines = tail.lines();
        for (int i = lines.size() - 1; i >= 0; i--) {
            String clean = lines.get(i).replaceAll("\\p{Cntrl}", "").strip();
            if (!clean.isEmpty()) return clean;
        }
        return "";
    }

    @Override
    public void write(byte[] data, int length) throws IOException {
        channel.write(data, length);
    }

    @Override
    public void close() { channel.close(); }
}
