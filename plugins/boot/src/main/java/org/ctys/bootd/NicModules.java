package org.ctys.bootd;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * The network card drivers of the recovery system: every module under drivers/net/ethernet plus
 * virtio_net (and virtio_pci, without which a virtio card never appears on the virtio bus), with
 * every module they depend on (modules.dep lists the whole chain), stored uncompressed (busybox
 * loads only plain ELF modules) with a modules.dep and modules.alias that name only them, so
 * that busybox modprobe loads the right one for each device's modalias.
 */
final class NicModules {
    /** Named on their own: they live outside drivers/net/ethernet. e1000 and e1000e are under it, named for the reader. */
    static final List<String> NAMED = List.of("virtio_net", "virtio_pci", "e1000", "e1000e");
    private static final String ETHERNET = "kernel/drivers/net/ethernet/";

    private NicModules() {}

    /** Adds the modules, modules.dep and modules.alias under /lib/modules/{@code version}; returns how many modules. */
    static int addTo(InitramfsTree tree, Path modulesDir, String version) throws IOException {
        Path depFile = modulesDir.resolve("modules.dep");
        Path aliasFile = modulesDir.resolve("modules.alias");
        if (!Files.isReadable(depFile) || !Files.isReadable(aliasFile)) {
            throw new IllegalStateException(depFile + " or modules.alias is missing: apt-get install linux-image-" + version);
        }
        Map<String, List<String>> deps = readDeps(depFile);
        Set<String> chosen = choose(deps);
        String root = "/lib/modules/" + version + "/";
        StringBuilder dep = new StringBuilder();
        Set<String> names = new LinkedHashSet<>();
        for (String path : chosen) {
            tree.file(root + plain(path), 0644, uncompressed(modulesDir.resolve(path)));
            dep.append(plain(path)).append(':');
            for (String d : deps.getOrDefault(path, List.of())) dep.append(' ').append(plain(d));
            dep.append('\n');
            names.add(moduleName(path));
        }
        tree.text(root + "modules.dep", 0644, dep.toString());
        tree.text(root + "modules.alias", 0644, aliases(aliasFile, names));
        return chosen.size();
    }

    /** modules.dep: "path: dependency dependency ..." (the whole chain, nearest first). */
    static Map<String, List<String>> readDeps(Path depFile) throws IOException {
        Map<String, List<String>> deps = new LinkedHashMap<>();
        for (String line : Files.readAllLines(depFile, StandardCharsets.UTF_8)) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String rest = line.substring(colon + 1).strip();
            deps.put(line.substring(0, colon), rest.isEmpty() ? List.of() : List.of(rest.split("\\s+")));
        }
        return deps;
    }

    /** The NIC drivers and their dependencies, each path once. */
    static Set<String> choose(Map<String, List<String>> deps) {
        Set<String> chosen = new LinkedHashSet<>();
        Set<String> named = new LinkedHashSet<>(NAMED);
        for (String path : deps.keySet()) {
            boolean isNamed = named.remove(moduleName(path));
            if (isNamed || path.startsWith(ETHERNET)) {
                chosen.addAll(deps.get(path));
                chosen.add(path);
            }
        }
        if (!named.isEmpty()) {
            throw new IllegalStateException("kernel modules " + named + " are not in modules.dep: this image needs a "
                    + "kernel with them as modules (Debian's linux-image-amd64)");
        }
        return chosen;
    }

    /** The alias lines ("alias PATTERN module") of the chosen modules only. */
    static String aliases(Path aliasFile, Set<String> moduleNames) throws IOException {
        StringBuilder s = new StringBuilder();
        for (String line : Files.readAllLines(aliasFile, StandardCharsets.UTF_8)) {
            String[] w = line.strip().split("\\s+");
            if (w.length == 3 && w[0].equals("alias") && moduleNames.contains(w[2].replace('-', '_'))) s.append(line).append('\n');
        }
        return s.toString();
    }

    /** "virtio_net" for kernel/drivers/net/virtio_net.ko[.xz]; dashes as underscores, as the kernel names modules. */
    static String moduleName(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        return file.substring(0, file.indexOf(".ko")).replace('-', '_');
    }

    /** The path with .ko as its end, whatever compression Debian chose. */
    static String plain(String path) {
        return path.substring(0, path.lastIndexOf(".ko") + 3);
    }

    private static byte[] uncompressed(Path ko) throws IOException {
        String file = ko.getFileName().toString();
        if (file.endsWith(".ko")) return Files.readAllBytes(ko);
        if (file.endsWith(".ko.gz")) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(ko))) {
                return in.readAllBytes();
            }
        }
        List<String> command;
        if (file.endsWith(".ko.xz")) command = List.of(Tools.require("xz", "xz-utils").toString(), "-dc", ko.toString());
        else if (file.endsWith(".ko.zst")) command = List.of(Tools.require("zstd", "zstd").toString(), "-dc", ko.toString());
        else throw new IllegalStateException("kernel module " + ko + " is compressed in a way the image builder does not know");
        Path out = Files.createTempFile("ctys-module-", ".ko");
        try {
            Tools.runTo(out, Duration.ofSeconds(30), command);
            return Files.readAllBytes(out);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
