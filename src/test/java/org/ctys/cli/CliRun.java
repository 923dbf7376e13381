package org.ctys.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs ctys in-process with captured stdout/stderr and an environment that never reads the real home or /etc. */
record CliRun(int status, String out, String err) {

    static CliRun run(Path sandbox, String... args) {
        return run(sandbox, Map.of(), args);
    }

    static CliRun run(Path sandbox, Map<String, String> extraEnv, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = new HashMap<>();
        env.put("HOME", sandbox.toString());
        env.put("CTYS_SYSTEM_INVENTORY", sandbox.resolve("no-system-inventory.yaml").toString());
        env.put("CTYS_ETHERS", sandbox.resolve("no-ethers").toString());
        env.putAll(extraEnv);
        int status = Ctys.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env, args);
        return new CliRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    String firstErrLine() {
        int nl = err.indexOf('\n');
        return nl < 0 ? err : err.substring(0, nl);
    }
}
