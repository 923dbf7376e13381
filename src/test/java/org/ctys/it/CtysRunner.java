package org.ctys.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs ctys as a separate process inside a namespace, with a clean environment: HOME is a temp
 * directory and every file ctys could read on its own (inventories, /etc/ethers) is one the
 * test chose or one that does not exist.
 */
final class CtysRunner {
    private final Path home;
    private Path inventory;
    private Path ethers;

    CtysRunner(Path home) {
        this.home = home;
        this.ethers = home.resolve("no-ethers");
    }

    CtysRunner inventory(Path file) {
        this.inventory = file;
        return this;
    }

    CtysRunner ethers(Path file) {
        this.ethers = file;
        return this;
    }

    Proc.Outcome in(String ns, String... args) {
        return in(ns, Duration.ofSeconds(60), args);
    }

    Proc.Outcome in(String ns, Duration limit, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "env", "-i",
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "HOME=" + home,
                "CTYS_ETHERS=" + ethers,
                "CTYS_SYSTEM_INVENTORY=" + home.resolve("no-system-inventory.yaml")));
        if (inventory != null) cmd.add("CTYS_INVENTORY=" + inventory);
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.ctys.Main"));
        cmd.addAll(List.of(args));
        return Proc.run(limit, Map.of(), cmd);
    }
}
