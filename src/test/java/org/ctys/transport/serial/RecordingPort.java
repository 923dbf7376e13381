package org.ctys.transport.serial;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A {@link Port} that records what {@link SerialLine} asks of it and answers as told: the one
 * double of the serial transport, for what no pseudo-terminal can show (a break, a driver that
 * refuses one, a write the driver takes in parts). Public for the engine's tests of its link.
 */
public final class RecordingPort implements Port {
    public final List<String> calls = new ArrayList<>();
    public final Deque<byte[]> toRead = new ArrayDeque<>();
    public LineSettings opened;
    public boolean openAnswer = true;
    public boolean breakAnswer = true;
    public boolean clearAnswer = true;
    /** What waitingReads answers (a pty asked for parity refuses it: jSerialComm applies the framing again). */
    public boolean waitingAnswer = true;
    public int error;
    /** How many bytes each write takes at most. */
    public int writeChunk = Integer.MAX_VALUE;
    public boolean gone;
    public final List<Long> breakNanos = new ArrayList<>();
    private long breakStarted;

    /** A line open on this port, as {@link SerialLine#open(String, LineSettings)} would return it. */
    public SerialLine line(String device, LineSettings settings) throws SerialException {
        return SerialLine.open(device, settings, this);
    }

    @Override
    public boolean open(LineSettings settings) {
        calls.add("open " + settings);
        opened = settings;
        return openAnswer;
    }

    @Override
    public int lastError() { return error; }

    @Override
    public int read(byte[] buffer) {
        calls.add("read");
        if (gone) return -1;
        byte[] next = toRead.poll();
        if (next == null) return 0;
        System.arraycopy(next, 0, buffer, 0, next.length);
        return next.length;
    }

    @Override
    public boolean waitingReads(int millis) {
        calls.add("waitingReads " + millis);
        return waitingAnswer;
    }

    @Override
    public int available() {
        calls.add("available");
        if (gone) return -1;
        byte[] next = toRead.peek();
        return next == null ? 0 : next.length;
    }

    @Override
    public int write(byte[] data, int length) {
        if (gone) return -1;
        int n = Math.min(length, writeChunk);
        calls.add("write " + new String(data, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1));
        return n;
    }

    @Override
    public boolean flushOutput() {
        calls.add("flushOutput");
        return true;
    }

    @Override
    public boolean setBreak() {
        calls.add("setBreak");
        breakStarted = System.nanoTime();
        return breakAnswer;
    }

    @Override
    public boolean clearBreak() {
        calls.add("clearBreak");
        breakNanos.add(System.nanoTime() - breakStarted);
        return clearAnswer;
    }

    @Override
    public void close() { calls.add("close"); }
}
