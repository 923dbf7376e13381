package org.ctys.spi;

import java.time.Duration;

/**
 * Ask once whether a machine answers (ICMP echo where permitted, and a TCP connect to its SSH
 * port; a refused connection also proves a live host), then apply the matching verdict.
 */
public record Probe(String target, String address, int tcpPort, Duration timeout, Verdict ifUp, Verdict ifDown)
        implements Step {

    @Override
    public String describe() {
        long s = Math.max(1, timeout.toSeconds());
        String a = ShellWords.quote(address);
        return "ping -c 1 -W " + s + " " + a + " || nc -z -w " + s + " " + a + " " + tcpPort
                + "   # answers: " + ControlChars.escape(ifUp.state()) + "; silent: " + ControlChars.escape(ifDown.state());
    }
}
