package org.ctys.consoled;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A console's log on disk ({@link ConsoleLog}): {@code <log-dir>/<console>.log}. Replay renders its
 * lines for a terminal: console lines as they were (CR LF ends), marks as
 * {@code [log 2026-11-30T08:00:00.123Z: lab07 up (serial /dev/ttyS0 115200)]}.
 */
final class DiskJournal implements Journal {
    private final Path dir;
    private final String console;
    private final ConsoleLog log;

    private DiskJournal(Path dir, String console, ConsoleLog log) {
        this.dir = dir;
        this.console = console;
        this.log = log;
    }

    static DiskJournal open(DaemonConfig config, String console, Clock clock) throws IOException {
        DaemonConfig.Rotation r = config.rotation();
        return new DiskJournal(config.logDir(), console, ConsoleLog.open(config.logDir(), console,
                new ConsoleLog.Rotation(r.maxBytes(), r.maxAge(), r.keep()), clock));
    }

    @Override
    public void data(byte[] bytes, int offset, int length) throws IOException { log.data(bytes, offset, length); }

    @Override
    public void mark(String text) throws IOException { log.mark(text); }

    @Override
    public void tick(Instant now, Duration quiet) throws IOException { log.tick(now, quiet); }

    @Override
    public long bytes() { return log.bytes(); }

    @Override
    public byte[] last(int lines) throws IOException { return render(ConsoleLog.last(dir, console, lines)); }

    @Override
    public byte[] since(Instant from) throws IOException { return render(ConsoleLog.since(dir, console, from)); }

    @Override
    public void prepareSince() { LogReader.learnStamps(new LogFiles(dir, console)); }

    @Override
    public void close() { log.close(); }

    /** The lines for a terminal; a mark's time as the log stamps it, whatever instant it has. */
    static byte[] render(List<ConsoleLog.Line> lines) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (ConsoleLog.Line l : lines) {
            if (l.mark()) {
                b.writeBytes(("[log " + LogStamp.text(l.at()) + ": " + new String(l.text(), StandardCharsets.UTF_8) + "]\r\n")
                        .getBytes(StandardCharsets.UTF_8));
                continue;
            }
            byte[] t = l.text();
            b.writeBytes(t);
            b.writeBytes(t.length > 0 && t[t.length - 1] == '\r' ? new byte[] {'\n'} : new byte[] {'\r', '\n'});
        }
        return b.toByteArray();
    }
}
