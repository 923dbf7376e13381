package org.ctys.bootd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The Debian kernel the recovery image boots: /boot/vmlinuz-VERSION and its modules in /lib/modules/VERSION. */
record Kernel(String version, Path vmlinuz, Path modules) {

    /**
     * {@code wanted}, or the running kernel if /boot holds it, else the newest in /boot (a build
     * host in a container runs its host's kernel, which /boot does not have).
     */
    static Kernel choose(Path boot, Path modulesRoot, Optional<String> wanted) throws IOException {
        String version;
        if (wanted.isPresent()) {
            version = wanted.get();
            if (!version.matches("[A-Za-z0-9._+-]+")) throw new IllegalStateException("kernel version '" + version + "' is not a version");
        } else {
            List<String> installed = installed(boot);
            String running = System.getProperty("os.version", "");
            if (installed.contains(running)) version = running;
            else if (!installed.isEmpty()) version = installed.get(installed.size() - 1);
            else throw new IllegalStateException("no kernel in " + boot + " (vmlinuz-*): apt-get install linux-image-amd64");
        }
        Path vmlinuz = boot.resolve("vmlinuz-" + version);
        Path modules = modulesRoot.resolve(version);
        if (!Files.isReadable(vmlinuz)) {
            throw new IllegalStateException(vmlinuz + " is missing: apt-get install linux-image-" + version);
        }
        if (!Files.isReadable(modules.resolve("modules.dep"))) {
            throw new IllegalStateException(modules.resolve("modules.dep") + " is missing: apt-get install linux-image-" + version);
        }
        return new Kernel(version, vmlinuz, modules);
    }

    /** The versions of /boot/vmlinuz-*, oldest first (numbers compared as numbers: 6.1.0-9 before 6.1.0-57). */
    static List<String> installed(Path boot) throws IOException {
        List<String> versions = new ArrayList<>();
        if (!Files.isDirectory(boot)) return versions;
        try (Stream<Path> files = Files.list(boot)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("vmlinuz-"))
                    .map(n -> n.substring("vmlinuz-".length())).forEach(versions::add);
        }
        versions.sort(Kernel::compareVersions);
        return versions;
    }

    static int compareVersions(String a, String b) {
        String[] x = a.split("(?<=\\d)(?=\\D)|(?<=\\D)(?=\\d)");
        String[] y = b.split("(?<=\\d)(?=\\D)|(?<=\\D)(?=\\d)");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            boolean numbers = Character.isDigit(x[i].charAt(0)) && Character.isDigit(y[i].charAt(0));
            int c = numbers ? Comparator.<java.math.BigInteger>naturalOrder().compare(new java.math.BigInteger(x[i]), new java.math.BigInteger(y[i]))
                    : x[i].compareTo(y[i]);
            if (c != 0) return c;
        }
        return Integer.compare(x.length, y.length);
    }
}
