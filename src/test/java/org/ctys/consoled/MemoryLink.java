package org.ctys.consoled;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import org.ctys.console.ConsoleLink;

/** A console's far end in memory: the test pushes what the machine prints and reads what was typed. */
final class MemoryLink implements ConsoleLink, AutoCloseable {
    private final ArrayDeque<byte[]> incoming = new ArrayDeque<>();
    private final ByteArrayOutputStream typed = new ByteArrayOutputStream();
    private String gone;
    private Error failing;
    private String refusing;
    private boolean closed;
    private int breaks;

    /** As if the machine printed {@code bytes}. */
    synchronized void print(byte[] bytes) {
        incoming.add(bytes);
        notifyAll();
    }

    void print(String text) { print(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)); }

    /** The link drops: the next read throws with {@code why}. */
    synchronized void drop(String why) {
        gone = why;
        notifyAll();
    }

    synchronized String typed() { return typed.toString(java.nio.charset.StandardCharsets.ISO_8859_1); }

    synchronized int breaks() { return breaks; }

    synchronized boolean closed() { return closed; }

    /** The next read throws {@code e}, as a reader that ran out of memory. */
    synchronized void fail(Error e) {
        failing = e;
        notifyAll();
    }

    @Override
    public synchronized byte[] read() throws IOException {
        if (failing != null) {
            Error e = failing;
            failing = null;
            throw e;
        }
        if (gone != null) throw new IOException(gone);
        if (closed) throw new IOException("closed");
        byte[] b = incoming.poll();
        return b == null ? new byte[0] : b;
    }

    /** Writes fail with {@code why} while the link stays up (a serial line flow control holds); null: they work. */
    synchronized void refuseWrites(String why) { refusing = why; }

    @Override
    public synchronized void write(byte[] data, int length) throws IOException {
        if (gone != null || closed) throw new IOException("gone");
        if (refusing != null) throw new IOException(refusing);
        typed.write(data, 0, length);
    }

    @Override
    public synchronized boolean sendBreak() {
        breaks++;
        return true;
    }

    @Override
    public synchronized void await(long millis) throws InterruptedException {
        if (incoming.isEmpty() && gone == null && !closed) wait(millis);
    }

    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
    }
}
