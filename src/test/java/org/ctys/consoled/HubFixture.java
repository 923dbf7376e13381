package org.ctys.consoled;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ctys.inventory.SerialSettings;

/**
 * A hub of in-memory consoles: links the test prints into, logs in memory, a fake clock, back-off
 * waits that only record. Users: alice and bob read-write, rita read-only; dora may use nothing.
 */
final class HubFixture implements AutoCloseable {
    final FakeClock clock = new FakeClock();
    final ScriptedOpener opener = new ScriptedOpener();
    final RecordingPause pause = new RecordingPause(clock);
    final Map<String, MemoryJournal> journals = new HashMap<>();
    final ByteArrayOutputStream said = new ByteArrayOutputStream();
    final Hub hub;
    final Commands commands;
    private final List<MemorySession> sessions = new ArrayList<>();

    HubFixture(long queueLimit) {
        Say say = new Say(new PrintStream(said, true, StandardCharsets.UTF_8));
        hub = new Hub(opener, (cfg, name) -> {
            synchronized (journals) {
                return journals.computeIfAbsent(name, k -> new MemoryJournal());
            }
        }, say, clock, () -> pause);
        commands = new Commands(hub, say, clock, queueLimit);
    }

    HubFixture() { this(Commands.QUEUE_LIMIT); }

    static Access access() {
        return new Access(List.of(new Access.Rule(List.of("*"), List.of("alice", "@ops"), List.of("rita"))),
                Map.of("ops", Set.of("bob")));
    }

    static ConsoleDef serial(String name, String device) {
        return new ConsoleDef(name, new Endpoint.Serial(SerialSettings.defaults(device)), Set.of());
    }

    static DaemonConfig config(Access access, ConsoleDef... consoles) {
        return new DaemonConfig(Path.of("/nonexistent/consoled.yaml"), "127.0.0.1", 0, Path.of("/nonexistent/key"),
                Path.of("/nonexistent/logs"), DaemonConfig.Rotation.DEFAULT, java.time.Duration.ZERO,
                Path.of("/nonexistent/pid"), Map.of(), Map.of(), access, List.of(consoles), null);
    }

    MemoryJournal journal(String name) {
        synchronized (journals) {
            return journals.get(name);
        }
    }

    /** A user's session running {@code command}, served as the front door would. */
    MemorySession session(String user, String command) { return session(user, command, false); }

    MemorySession session(String user, String command, boolean stalled) {
        MemorySession s = new MemorySession(user, command, stalled).serve(commands);
        sessions.add(s);
        return s;
    }

    String said() { return said.toString(StandardCharsets.UTF_8); }

    @Override
    public void close() {
        for (MemorySession s : sessions) {
            s.unstall();
            s.endInput();
        }
        hub.close();
    }
}
