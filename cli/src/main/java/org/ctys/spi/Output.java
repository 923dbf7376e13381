package org.ctys.spi;

/**
 * What a remote command left: its output, its error output (both as bytes: commands may print
 * anything, and both kept up to the run's cap) and its exit status (null when a signal ended it).
 */
public record Output(Captured out, Captured err, Integer exitStatus, String exitSignal) {

    private static final Captured NOTHING = Captured.of(new byte[0]);

    /** Output held in memory, nothing dropped. */
    public Output(byte[] stdout, byte[] stderr, Integer exitStatus, String exitSignal) {
        this(Captured.of(stdout), Captured.of(stderr), exitStatus, exitSignal);
    }

    /** Only how the command ended: its output went elsewhere (streamed as it came). */
    public static Output exitOnly(Integer exitStatus, String exitSignal) {
        return new Output(NOTHING, NOTHING, exitStatus, exitSignal);
    }

    /** The output kept, in memory: for output known to be small. */
    public byte[] stdout() { return out.bytes(); }

    /** The error output kept, in memory: for output known to be small. */
    public byte[] stderr() { return err.bytes(); }

    /** Whether anything was read and dropped past the cap, on either stream. */
    public boolean truncated() { return out.truncated() || err.truncated(); }

    public boolean succeeded() { return exitStatus != null && exitStatus == 0; }

    /** "exit 0", "exit 3", "signal KILL". */
    public String exitText() { return exitStatus != null ? "exit " + exitStatus : "signal " + exitSignal; }
}
