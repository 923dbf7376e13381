package org.ctys.engine;

import java.io.PrintStream;
import org.ctys.grammar.Sizes;

/**
 * How the output of commands is taken ({@code --max-output}, {@code --output stream}): gathered
 * for the report, at most {@code cap} bytes per target, or printed line by line as it comes, lines
 * cut at {@code cap}.
 *
 * @param out where streamed output lines go; null: output is gathered
 * @param err where streamed error lines go
 */
public record CommandOutput(long cap, PrintStream out, PrintStream err) {
    public static final long DEFAULT_CAP = 8 * Sizes.MIB;
    public static final long MIN_CAP = Sizes.KIB;
    public static final long MAX_CAP = Sizes.GIB;

    public CommandOutput {
        if (cap < MIN_CAP || cap > MAX_CAP) throw new IllegalArgumentException("cap out of range: " + cap);
        if ((out == null) != (err == null)) throw new IllegalArgumentException("both streams or neither");
    }

    public static CommandOutput gathered(long cap) { return new CommandOutput(cap, null, null); }

    public static CommandOutput streamed(long cap, PrintStream out, PrintStream err) { return new CommandOutput(cap, out, err); }

    public boolean streaming() { return out != null; }
}
