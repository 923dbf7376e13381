package org.ctys.consoled;

import java.time.Duration;
import java.time.Instant;

/** A journal that keeps nothing: for tests of a console's users, not of its log. */
final class NoJournal implements Journal {
    @Override public void data(byte[] bytes, int offset, int length) {}
    @Override public void mark(String text) {}
    @Override public void tick(Instant now, Duration quiet) {}
    @Override public long bytes() { return 0; }
    @Override public byte[] last(int lines) { return new byte[0]; }
    @Override public byte[] since(Instant from) { return new byte[0]; }
    @Override public void close() {}
}
