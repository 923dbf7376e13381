package org.ctys.engine.run;

import java.io.OutputStream;
import org.ctys.spi.Output;

/** Where a command's output goes while it runs: gathered for the report, or streamed as it comes. */
public interface CommandSink {

    OutputStream out();

    OutputStream err();

    /** The command ended (or could not run): what the report keeps of it, with how it ended. */
    Output finish(Integer exitStatus, String exitSignal);

    /** What the report says about the output's limits ("; output truncated after 8 MiB ..."), or "". */
    String note();
}
