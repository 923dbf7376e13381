package org.ctys.spi;

/**
 * What a remote command left: its output, its error output (both as bytes: commands may print
 * anything) and its exit status (null when a signal ended it).
 */
public record Output(byte[] stdout, byte[] stderr, Integer exitStatus, String exitSignal) {

    public boolean succeeded() { return exitStatus != null && exitStatus == 0; }

    /** "exit 0", "exit 3", "signal KILL". */
    public String exitText() { return exitStatus != null ? "exit " + exitStatus : "signal " + exitSignal; }
}
