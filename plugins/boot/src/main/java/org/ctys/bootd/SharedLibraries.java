package org.ctys.bootd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The shared libraries a program needs and its dynamic loader, as ldd names them, each at the path the loader looks. */
final class SharedLibraries {
    private SharedLibraries() {}

    static Set<Path> of(Path program) throws IOException {
        Path ldd = Tools.require("ldd", "libc-bin");
        return parse(Tools.output(Duration.ofSeconds(10), List.of(ldd.toString(), program.toString())), program);
    }

    /**
     * ldd's lines: "libssl.so.3 => /lib/x86_64-linux-gnu/libssl.so.3 (0x...)", the loader
     * "/lib64/ld-linux-x86-64.so.2 (0x...)", the kernel's "linux-vdso.so.1 (0x...)" (no file).
     */
    static Set<Path> parse(String lddOutput, Path program) {
        Set<Path> libraries = new LinkedHashSet<>();
        for (String raw : lddOutput.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty()) continue;
            if (line.contains("=> not found")) {
                throw new IllegalStateException(program + " needs " + line.split("\\s+")[0] + ", which is not installed");
            }
            String file = line.contains("=>") ? line.substring(line.indexOf("=>") + 2).strip() : line;
            file = file.split("\\s+")[0];
            if (file.startsWith("/")) {
                if (!Files.isReadable(Path.of(file))) throw new IllegalStateException(program + " needs " + file + ", which is unreadable");
                libraries.add(Path.of(file));
            }
        }
        return libraries;
    }
}
