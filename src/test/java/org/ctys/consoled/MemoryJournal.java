package org.ctys.consoled;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** A console's log in memory: every byte and mark in order; replay renders its lines. */
final class MemoryJournal implements Journal {
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();
    private final List<String> marks = new ArrayList<>();
    private final List<String> lines = new ArrayList<>();
    private final StringBuilder open = new StringBuilder();
    /** While held, data() waits: the test looks at the screens meanwhile. */
    volatile CountDownLatch hold = new CountDownLatch(0);
    final CountDownLatch entered = new CountDownLatch(1);
    volatile boolean closed;

    @Override
    public void data(byte[] bytes, int offset, int length) throws IOException {
        entered.countDown();
        try {
            hold.await();
        } catch (InterruptedException e) {
            throw new java.io.InterruptedIOException();
        }
        synchronized (this) {
            data.write(bytes, offset, length);
            for (int i = offset; i < offset + length; i++) {
                char c = (char) (bytes[i] & 0xff);
                if (c == '\n') {
                    lines.add(open.toString());
                    open.setLength(0);
                } else if (c != '\r') {
                    open.append(c);
                }
            }
        }
    }

    @Override
    public synchronized void mark(String text) {
        marks.add(text);
        lines.add("[" + text + "]");
    }

    @Override
    public void tick(Instant now, Duration quiet) { }

    @Override
    public synchronized long bytes() { return data.size(); }

    @Override
    public synchronized byte[] last(int n) {
        List<String> all = new ArrayList<>(lines);
        if (open.length() > 0) all.add(open.toString());
        StringBuilder b = new StringBuilder();
        for (String l : all.subList(Math.max(0, all.size() - n), all.size())) b.append(l).append("\r\n");
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public byte[] since(Instant from) { return last(Integer.MAX_VALUE); }

    @Override
    public void close() { closed = true; }

    synchronized String text() { return data.toString(StandardCharsets.ISO_8859_1); }

    synchronized List<String> marks() { return List.copyOf(marks); }
}
