package org.ctys.console;

import java.io.IOException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.spi.SystemStream;
import org.jline.terminal.spi.TerminalProvider;

/**
 * The terminal ctys was started on, for an interactive shell: its type, size and modes, raw mode
 * while the remote shell owns the screen, and the way back. {@link #restore()} runs at most once,
 * from whichever exit path gets there first; a JVM shutdown hook is the last of them.
 *
 * <p>The way back is exact: the settings are saved as {@code stty -g} prints them before anything
 * changes and given back to {@code stty} at the end. JLine's attributes carry no line speed, and
 * its native providers write the speed they do not know as 0, which on a serial line means hang
 * up; its {@code exec} provider, used here, changes only the flags that differ, through stty.
 */
public final class LocalTerminal implements AutoCloseable {

    private final Terminal terminal;
    private final Attributes original;
    private final String saved; // stty -g before anything changed; null when stty could not say
    private final AtomicBoolean restored = new AtomicBoolean();
    private final Thread hook;

    private LocalTerminal(Terminal terminal, String saved) {
        this.terminal = terminal;
        this.saved = saved;
        this.original = terminal.getAttributes();
        this.hook = new Thread(this::restore, "ctys-terminal-restore");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The system terminal; only for standard input that is a terminal (see {@link #stdinIsTerminal()}). */
    public static LocalTerminal open() throws IOException {
        String saved = Stty.save();
        return new LocalTerminal(builder().build(), saved);
    }

    /**
     * The system terminal, for a session in raw mode: a SIGINT that arrives while it is open calls
     * {@code onInterrupt} (in raw mode the keyboard's Ctrl-C is a byte for the remote, so a SIGINT
     * comes from another process, {@code kill -INT}: it ends the session as ctys's own --timeout
     * does). Other terminal signals that the keyboard cannot send in raw mode (QUIT, TSTP) are ignored.
     */
    public static LocalTerminal open(Runnable onInterrupt) throws IOException {
        java.util.Objects.requireNonNull(onInterrupt, "onInterrupt");
        String saved = Stty.save();
        return new LocalTerminal(builder().signalHandler(signal -> {
            if (signal == Terminal.Signal.INT) onInterrupt.run();
        }).build(), saved);
    }

    private static TerminalBuilder builder() {
        return TerminalBuilder.builder().system(true).dumb(false).provider("exec");
    }

    /** Whether standard input is a terminal, asked of JLine's native provider, then of stty. */
    public static boolean stdinIsTerminal() {
        for (String provider : new String[] {"jni", "exec"}) {
            try {
                return TerminalProvider.load(provider).isSystemStream(SystemStream.Input);
            } catch (IOException | RuntimeException | LinkageError e) {
                // that provider cannot run here; try the next
            }
        }
        return false;
    }

    /** TERM of the terminal, "xterm" when it does not say. */
    public String type() {
        String t = terminal.getType();
        return t == null || t.isBlank() || t.startsWith("dumb") && System.getenv("TERM") != null
                ? System.getenv().getOrDefault("TERM", "xterm") : t;
    }

    public Size size() { return terminal.getSize(); }

    /** The modes as they were before raw mode, by their RFC 4254 names, for the remote pseudo terminal. */
    public Map<String, Integer> modes() { return modes(original); }

    static Map<String, Integer> modes(Attributes a) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (Attributes.ControlChar c : Attributes.ControlChar.values()) {
            if (c == Attributes.ControlChar.VMIN || c == Attributes.ControlChar.VTIME) continue;
            int v = a.getControlChar(c);
            if (v >= 0) m.put(c.name(), v);
        }
        for (Attributes.InputFlag f : Attributes.InputFlag.values()) m.put(f.name(), a.getInputFlag(f) ? 1 : 0);
        for (Attributes.OutputFlag f : Attributes.OutputFlag.values()) m.put(f.name(), a.getOutputFlag(f) ? 1 : 0);
        for (Attributes.LocalFlag f : Attributes.LocalFlag.values()) m.put(f.name(), a.getLocalFlag(f) ? 1 : 0);
        for (Attributes.ControlFlag f : Attributes.ControlFlag.values()) m.put(f.name(), a.getControlFlag(f) ? 1 : 0);
        return m;
    }

    /**
     * Raw mode as ssh sets it: no echo, no line editing, no signals from keys (Ctrl-C, Ctrl-Z reach
     * the remote shell as bytes), no flow control, no output processing.
     */
    public void enterRaw() {
        terminal.setAttributes(raw(original));
    }

    static Attributes raw(Attributes original) {
        Attributes raw = new Attributes(original);
        raw.setLocalFlags(EnumSet.of(Attributes.LocalFlag.ICANON, Attributes.LocalFlag.ECHO, Attributes.LocalFlag.ECHOE,
                Attributes.LocalFlag.ECHOK, Attributes.LocalFlag.ECHONL, Attributes.LocalFlag.ISIG,
                Attributes.LocalFlag.IEXTEN), false);
        raw.setInputFlags(EnumSet.of(Attributes.InputFlag.IGNBRK, Attributes.InputFlag.BRKINT, Attributes.InputFlag.PARMRK,
                Attributes.InputFlag.ISTRIP, Attributes.InputFlag.INLCR, Attributes.InputFlag.IGNCR,
                Attributes.InputFlag.ICRNL, Attributes.InputFlag.IXON, Attributes.InputFlag.IXOFF), false);
        raw.setOutputFlag(Attributes.OutputFlag.OPOST, false);
        raw.setControlChar(Attributes.ControlChar.VMIN, 1);
        raw.setControlChar(Attributes.ControlChar.VTIME, 0);
        return raw;
    }

    /** Calls {@code onResize} with columns and rows each time the window changes size. */
    public void onResize(java.util.function.BiConsumer<Integer, Integer> onResize) {
        terminal.handle(Terminal.Signal.WINCH, s -> {
            Size now = terminal.getSize();
            onResize.accept(now.getColumns(), now.getRows());
        });
    }

    public Terminal terminal() { return terminal; }

    /**
     * Puts every setting back exactly as it was (speed included) and lets the terminal go; only
     * the first call acts.
     */
    public void restore() {
        if (!restored.compareAndSet(false, true)) return;
        try {
            if (saved == null) terminal.setAttributes(original);
            terminal.flush();
        } catch (RuntimeException e) {
            // a terminal that has gone away needs no restoring
        }
        try {
            terminal.close();
        } catch (IOException | RuntimeException e) {
            // as above
        }
        // last, so that nothing JLine restores on closing stays in its place
        if (saved != null) Stty.restore(saved);
    }

    @Override
    public void close() {
        restore();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook has run or is running
        }
    }
}
