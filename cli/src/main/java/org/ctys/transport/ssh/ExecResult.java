package org.ctys.transport.ssh;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * What a remote command left behind. Output stays bytes: remote commands may print anything,
 * and the caller decides how to decode it.
 *
 * @param exitStatus null when the command was killed by a signal (then {@code exitSignal} names it)
 */
public record ExecResult(byte[] stdout, byte[] stderr, Integer exitStatus, String exitSignal, Duration elapsed) {

    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }
}
