package org.ctys.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.ctys.bootd.Cpio;

/**
 * The boot files of the tiny test guests: Debian's kernel (the one linux-image-amd64 depends on)
 * and an initramfs made of busybox-static, the modules the ACPI power button needs and an init
 * script that reads the guest's kind, name and delay from the kernel command line. One image
 * serves every kind of guest.
 *
 * <p>Both files are copies in the fixture's own directory, world-readable: QEMU runs as
 * libvirt-qemu, and libvirt's DAC driver chowns what a guest opens (a /boot kernel would be
 * chowned in place).
 */
final class GuestImage {
    /** Modules the power button needs: {@code button} makes it an input device, {@code evdev} gives acpid /dev/input/event*. */
    private static final List<String> MODULES = List.of("button", "evdev");
    /** The line a guest prints on its serial console once it listens to the power button, or knowingly does not. */
    static final String READY = "ctys-guest: ready ";
    /** The prompt of the shell a {@link TinyGuest.Kind#CONSOLE} guest runs on its serial line. */
    static final String PROMPT = "ctys-guest# ";

    final String kernelVersion;
    final Path kernel;
    final Path initramfs;

    private GuestImage(String kernelVersion, Path kernel, Path initramfs) {
        this.kernelVersion = kernelVersion;
        this.kernel = kernel;
        this.initramfs = initramfs;
    }

    /** Copies the kernel into {@code dir} and builds the initramfs beside it. */
    static GuestImage build(Path dir) throws IOException {
        String version = kernelVersion();
        Path modules = Path.of("/lib/modules", version);
        Path vmlinuz = Path.of("/boot/vmlinuz-" + version);
        if (!Files.isReadable(vmlinuz) || !Files.isReadable(modules.resolve("modules.dep"))) {
            throw new AssertionError(vmlinuz + " or " + modules + "/modules.dep is missing; the test guests need: "
                    + "apt-get install linux-image-amd64");
        }
        Path busybox = Path.of(Proc.require("/bin/busybox", "busybox-static"));
        if (isDynamic(busybox)) {
            throw new AssertionError(busybox + " is linked dynamically and cannot run alone in the guest: "
                    + "apt-get install busybox-static");
        }
        Path kernel = readable(Files.copy(vmlinuz, dir.resolve("vmlinuz"), StandardCopyOption.REPLACE_EXISTING));

        List<Cpio.Entry> entries = new ArrayList<>();
        for (String d : List.of("bin", "dev", "proc", "sys", "tmp", "etc", "var", "lib", "lib/modules")) {
            entries.add(Cpio.Entry.dir(d));
        }
        entries.add(Cpio.Entry.file("bin/busybox", 0755, Files.readAllBytes(busybox)));
        StringBuilder order = new StringBuilder();
        for (Path ko : loadOrder(modules)) {
            String name = moduleName(ko) + ".ko";
            entries.add(Cpio.Entry.file("lib/modules/" + name, 0644, uncompressed(ko, dir)));
            order.append(name).append('\n');
        }
        entries.add(Cpio.Entry.file("lib/modules/order", 0644, order.toString().getBytes(StandardCharsets.UTF_8)));
        entries.add(Cpio.Entry.file("init", 0755, initScript().getBytes(StandardCharsets.UTF_8)));
        Path initramfs = dir.resolve("initramfs.cpio.gz");
        Cpio.writeGzipNewc(initramfs, entries);
        return new GuestImage(version, kernel, readable(initramfs));
    }

    /** The kernel version of the package linux-image-amd64 depends on ("linux-image-6.1.0-57-amd64 (= ...)"). */
    private static String kernelVersion() {
        String dpkgQuery = Proc.require("dpkg-query", "dpkg");
        Proc.Outcome o = Proc.quietly(dpkgQuery, "-W", "-f=${Status}|${Depends}", "linux-image-amd64");
        if (o.exit() != 0 || !o.out().contains("install ok installed")) {
            throw new AssertionError("no Debian kernel for the test guests: apt-get install linux-image-amd64");
        }
        for (String dep : o.out().substring(o.out().indexOf('|') + 1).split("[,|]")) {
            String name = dep.strip().split(" ")[0];
            if (name.startsWith("linux-image-") && !name.equals("linux-image-amd64")) {
                return name.substring("linux-image-".length());
            }
        }
        throw new AssertionError("cannot tell the kernel version from linux-image-amd64's dependencies: " + o.out());
    }

    private static boolean isDynamic(Path binary) throws IOException {
        // an ELF file with a PT_INTERP program header names a dynamic loader; busybox-static has none
        byte[] head = Files.readAllBytes(binary);
        return new String(head, 0, Math.min(head.length, 4096), StandardCharsets.ISO_8859_1).contains("/ld-linux");
    }

    /** {@link #MODULES} and everything they depend on (modules.dep), each after its dependencies. */
    static List<Path> loadOrder(Path modulesDir) throws IOException {
        Map<String, List<String>> deps = new HashMap<>();
        Map<String, String> pathByName = new HashMap<>();
        for (String line : Files.readAllLines(modulesDir.resolve("modules.dep"))) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String path = line.substring(0, colon);
            String rest = line.substring(colon + 1).strip();
            deps.put(path, rest.isEmpty() ? List.of() : List.of(rest.split("\\s+")));
            pathByName.put(moduleName(Path.of(path)), path);
        }
        Set<String> ordered = new LinkedHashSet<>();
        for (String m : MODULES) {
            String path = pathByName.get(m);
            if (path == null) {
                throw new AssertionError("kernel module " + m + " is not in " + modulesDir
                        + "/modules.dep; the ACPI test guests need it (is it built in? then drop it from the list)");
            }
            addWithDependencies(path, deps, ordered);
        }
        return ordered.stream().map(modulesDir::resolve).toList();
    }

    private static void addWithDependencies(String path, Map<String, List<String>> deps, Set<String> ordered) {
        if (ordered.contains(path)) return;
        for (String dep : deps.getOrDefault(path, List.of())) addWithDependencies(dep, deps, ordered);
        ordered.add(path);
    }

    /** "button" for .../button.ko, .../button.ko.xz, .../button.ko.zst. */
    static String moduleName(Path ko) {
        String file = ko.getFileName().toString();
        return file.substring(0, file.indexOf(".ko"));
    }

    /** busybox insmod loads only plain ELF modules: Debian compresses them (xz, zstd) in newer releases. */
    private static byte[] uncompressed(Path ko, Path scratch) throws IOException {
        String file = ko.getFileName().toString();
        if (file.endsWith(".ko")) return Files.readAllBytes(ko);
        if (file.endsWith(".ko.gz")) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(ko))) {
                return in.readAllBytes();
            }
        }
        String tool;
        if (file.endsWith(".ko.xz")) tool = Proc.require("xz", "xz-utils");
        else if (file.endsWith(".ko.zst")) tool = Proc.require("zstd", "zstd");
        else throw new AssertionError("kernel module " + ko + " is compressed in a way this fixture does not know");
        Path out = scratch.resolve(moduleName(ko) + ".ko");
        // through a shell: Proc reads a command's output as text, and a module is binary
        Proc.ok("/bin/sh", "-c", tool + " -dc " + Proc.shellQuote(ko.toString()) + " > " + Proc.shellQuote(out.toString()));
        byte[] bytes = Files.readAllBytes(out);
        Files.delete(out);
        return bytes;
    }

    private static Path readable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }

    /**
     * PID 1 of every guest. The kind comes from the kernel command line: "acpi" powers off on the
     * power button, "slow" waits ctys.delay seconds first, "deaf" runs no acpid, so ACPI shutdown
     * requests go nowhere. busybox acpid reads only the /dev/input/event* there when it starts (so
     * it starts after the button is an input device), and exits without a word when /var/log is
     * missing.
     */
    private static String initScript() {
        return """
                #!/bin/busybox sh
                /bin/busybox mkdir -p /proc /sys /dev /tmp /var/log /var/run /etc/acpi/PWRF
                /bin/busybox mount -t proc proc /proc
                /bin/busybox --install -s /bin
                mount -t sysfs sysfs /sys
                mount -t devtmpfs devtmpfs /dev
                say() { echo "ctys-guest: $*"; }
                kind=; name=; delay=0
                for w in $(cat /proc/cmdline); do
                  case $w in
                    ctys.kind=*) kind=${w#*=};;
                    ctys.name=*) name=${w#*=};;
                    ctys.delay=*) delay=${w#*=};;
                  esac
                done
                say "kind=$kind name=$name delay=$delay"
                for m in $(cat /lib/modules/order); do insmod /lib/modules/$m || say "insmod $m failed"; done
                i=0
                until grep -qs 'Power Button' /sys/class/input/input*/name && ls /dev/input/event* >/dev/null 2>&1; do
                  i=$((i + 1)); [ $i -gt 400 ] && { say "no power button input device"; break; }
                  sleep 0.05
                done
                case $kind in
                  acpi|console) action='poweroff -f';;
                  slow) action="sleep $delay; poweroff -f";;
                  deaf) action=;;
                  *) say "unknown kind '$kind'"; action=;;
                esac
                if [ -n "$action" ]; then
                  printf '#!/bin/sh\\necho "ctys-guest: power button, powering off after %s s"\\n%s\\n' \\
                      "$([ $kind = slow ] && echo $delay || echo 0)" "$action" > /etc/acpi/PWRF/00000080
                  chmod 755 /etc/acpi/PWRF/00000080
                  acpid -d -c /etc/acpi &
                  pid=$!
                  # it listens once it holds the event devices open
                  until ls -l /proc/$pid/fd 2>/dev/null | grep -q /dev/input/event; do
                    kill -0 $pid 2>/dev/null || { say "acpid exited"; break; }
                    sleep 0.05
                  done
                fi
                say "ready $name"
                if [ "$kind" = console ]; then
                  # a shell on the serial line for virsh console: a session of its own, ttyS0 its controlling terminal
                  export PS1='@PROMPT@'
                  while :; do setsid sh -c 'exec sh -i <>/dev/ttyS0 >&0 2>&0'; done
                fi
                while :; do sleep 3600; done
                """.replace("@PROMPT@", PROMPT);
    }
}
