package org.ctys.console;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.jline.terminal.Size;

/**
 * The one attach model: a console of any kind (an SSH shell, SOL, a serial line, a hypervisor's
 * console) on the terminal ctys was started on. Opened before the console's far end, so that the
 * far end can be given the terminal's type, size and modes ({@link #pty()}); raw while the session
 * runs ({@link #run}); every setting (line speed included) given back exactly on {@link #close()},
 * whichever way the session ended. Not on a terminal, input is piped as it is.
 */
public final class ConsoleSession implements AutoCloseable {

    /** The local terminal as a remote pseudo terminal copies it: TERM, size, modes by their RFC 4254 names. */
    public record Pty(String term, int columns, int rows, Map<String, Integer> modes) {
        public Pty { modes = Map.copyOf(modes); }
    }

    private final LocalTerminal local; // null: not on a terminal
    private final InputStream piped;
    private Pty pty;

    private ConsoleSession(LocalTerminal local, InputStream piped) {
        this.local = local;
        this.piped = piped;
    }

    /**
     * A session on the local terminal when {@code terminal} and standard input is one, else a piped one.
     *
     * @param onInterrupt called when a SIGINT arrives while the terminal is raw (then the keyboard's
     *                    Ctrl-C is a byte for the far end, so the signal came from another process)
     */
    public static ConsoleSession open(boolean terminal, Runnable onInterrupt) {
        return open(terminal, onInterrupt, System.in);
    }

    /** As {@link #open(boolean, Runnable)}; {@code piped} is read when the session is not on the terminal. */
    public static ConsoleSession open(boolean terminal, Runnable onInterrupt, InputStream piped) {
        if (!terminal || !LocalTerminal.stdinIsTerminal()) return new ConsoleSession(null, piped);
        try {
            return new ConsoleSession(onInterrupt == null ? LocalTerminal.open() : LocalTerminal.open(onInterrupt), piped);
        } catch (IOException e) {
            return new ConsoleSession(null, piped); // a terminal JLine cannot drive is used as a pipe
        }
    }

    public boolean onTerminal() { return local != null; }

    /** The terminal's type, size and modes before raw mode; null when not on a terminal. */
    public Pty pty() {
        if (local == null) return null;
        if (pty == null) {
            Size size = local.size();
            pty = new Pty(local.type(), size.getColumns() > 0 ? size.getColumns() : 80, size.getRows() > 0 ? size.getRows() : 24,
                    local.modes());
        }
        return pty;
    }

    /**
     * Runs the console until the user leaves ({@code ~.}), piped input ends, the far end ends or is
     * lost, or {@code stop} says so (the overall --timeout, an interrupt).
     *
     * @param what what is attached, for the banner and the log: "the console of lab01", "a shell on lab1"
     * @param log  where the session is recorded (--log), or null
     */
    public SerialConsole.Outcome run(ConsoleLink link, String what, BooleanSupplier stop, SessionLog log) {
        return run(link, what, stop, () -> null, log);
    }

    /**
     * {@link #run(ConsoleLink, String, BooleanSupplier, SessionLog)}, also left (without a failure)
     * once {@code finished} gives why: what the console was opened beside has ended.
     */
    public SerialConsole.Outcome run(ConsoleLink link, String what, BooleanSupplier stop, java.util.function.Supplier<String> finished,
                                     SessionLog log) {
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        FileOutputStream out = new FileOutputStream(FileDescriptor.out);
        if (local == null) return new Bridge(link, piped, out, err, false, log).run(what, stop, finished);
        Pty asked = pty();
        local.enterRaw();
        local.onResize((columns, rows) -> resize(link, columns, rows));
        // the window may have changed between the far end's opening and the handler's
        Size now = local.size();
        if (now.getColumns() != asked.columns() || now.getRows() != asked.rows()) resize(link, now.getColumns(), now.getRows());
        return new Bridge(link, local.terminal().input(), out, err, true, log).run(what, stop, finished);
    }

    private static void resize(ConsoleLink link, int columns, int rows) {
        try {
            link.resize(columns, rows);
        } catch (IOException e) {
            // the link is going: reading from it says so
        }
    }

    /** Gives the terminal back exactly as it was. */
    @Override
    public void close() {
        if (local != null) local.close();
    }
}
