package org.ctys.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.ctys.grammar.Mac;
import org.ctys.inventory.BmcSettings;
import org.ctys.inventory.SecretRef;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dry run of every step kind, with hostile names and values everywhere a name or a value can
 * stand, pasted into a real shell: bash (whose {@code $'…'} gives back control characters) and
 * dash (Debian's /bin/sh). The programs the lines name are stand-ins that record their argv. No
 * command substitution, no second command, no redirection may happen, and every hostile value
 * must reach its program as exactly one word.
 */
class DryRunQuotingTest {

    @TempDir
    Path dir;
    private Path bin;
    private Path log;
    private String hostile;

    @BeforeEach
    void setUp() throws IOException {
        bin = Files.createDirectory(dir.resolve("bin"));
        log = dir.resolve("argv");
        for (String program : List.of("ssh", "wakeonlan", "ipmitool", "ping", "nc", "sleep", "xterm", "gnome-terminal",
                "sh", "ctys", "xtigervncviewer", "setsid", "picocom")) {
            Path stub = bin.resolve(program);
            // one record per call: the program, then each argument, NUL-terminated; records end with "\1\0"
            Files.writeString(stub, "#!/bin/bash\n{ printf '%s\\0' \"${0##*/}\"; for a in \"$@\"; do printf '%s\\0' \"$a\"; done;"
                    + " printf '\\1\\0'; } >>" + log + "\n");
            Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        String canary = dir.resolve("pwn").toString();
        hostile = "x'\"$(touch " + canary + "1)`touch " + canary + "2`;touch " + canary + "3;>" + canary + "4 *~|&\\ -d3\n"
                + "\u001b]0;TITLE\u0007\u001b[31m\u009b!";
    }

    /** One of each step kind, every name and value in it hostile. */
    private List<Step> everyKind() {
        String h = hostile;
        Remote remote = new Remote(h, h, 2222, List.of(h, "gw2"));
        BmcSettings bmc = new BmcSettings(h, 6230, h, SecretRef.env("IPMI_PW"), 17, false);
        Verdict v = Verdict.proceed(h, h);
        List<Step> steps = List.of(
                new MagicPackets(List.of(new MagicPacket(h, Mac.parse("02:00:00:00:00:01"), h, 9, h,
                        SecretRef.file(Path.of("/etc/" + h.replace("\u0000", ""))), v)), Duration.ofSeconds(2)),
                new Probe(h, h, 22, Duration.ofSeconds(1), v, v),
                new WaitUntilUp(h, h, 22, 3, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(9)),
                new Note(h, v, Map.of()),
                new RunCommand(h, remote, h, Duration.ofSeconds(5)),
                new RunCommand(h, null, h, Duration.ofSeconds(5)),
                new WaitForLogin(h, remote, 3, Duration.ofSeconds(1), Duration.ofSeconds(1)),
                new OpenShell(h, remote, null),
                new OpenShell(h, remote, false),
                new OpenWindow(h, OpenWindow.XTERM, h, List.of("-l", h, "-t", "cli", "-a", "create", "--", h)),
                new OpenWindow(h, OpenWindow.GNOME_TERMINAL, h, List.of("-t", "cli", "-a", "create", "--", h)),
                new BmcPower(h, bmc, BmcPower.Procedure.ON, h, null, false, "NONE"),
                new BmcPower(h, bmc, BmcPower.Procedure.REBOOT, null, Duration.ofSeconds(30), false, "NONE"),
                new AttachSol(h, bmc, true),
                new AttachGuestConsole(h, remote, h),
                new AttachGuestConsole(h, null, h),
                new AttachSerial(h, org.ctys.inventory.SerialSettings.defaults(h)),
                new AttachServedConsole(h, remote, h, List.of(h)),
                new WaitForState(h, remote, h, out -> StateReader.Reading.met(h), h, h, h, 3, Duration.ofSeconds(1),
                        Duration.ofSeconds(1), Duration.ofSeconds(9), new RunCommand(h, remote, h, Duration.ofSeconds(5))),
                new Discover(h, remote, h, Duration.ofSeconds(5), out -> new Discover.Expanded(List.of(), new Note(h, v, Map.of())),
                        new Note(h, v, Map.of())),
                new After(h, List.of(h, h), false, h, new Note(h, v, Map.of())),
                new After(h, List.of(h), true, h, new Note(h, v, Map.of())),
                new WaitUntilDown(h, h, 22, 3, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(9)),
                new Delay(h, Duration.ofSeconds(3), h),
                new ViewVnc(h, remote, new ViewVnc.Virsh(h, h), false, "xtigervncviewer", SecretRef.env("VNC_PW"), true,
                        List.of("-l", h, "-t", "vnc", "-a", "create=L:" + h, "--", h)),
                new ViewVnc(h, remote, new ViewVnc.Listening(null), true, "xtigervncviewer", null, false, List.of()),
                new ViewVnc(h, remote, new ViewVnc.Xl(h), false, "xtigervncviewer", null, false, List.of()),
                new Submit(h, remote, h, h, new byte[] {1}, Duration.ofSeconds(5),
                        out -> new Discover.Expanded(List.of(), new Note(h, v, Map.of())),
                        new BmcPower(h, bmc, BmcPower.Procedure.BOOT_ONCE, "PXE", null, false, "NONE")),
                new Follow(h, remote, h, Duration.ofSeconds(5), new Follow.Reader() {
                    @Override
                    public Follow.Seen line(String line) { return Follow.Seen.NOTHING; }

                    @Override
                    public Step end(Output ended) { return new Note(h, v, Map.of()); }
                }),
                new BootFlagsCheck(h, bmc, v),
                new Watching(new AttachSol(h, bmc, false), new Note(h, v, Map.of()), h),
                new BmcWatchdog(h, bmc, BmcWatchdog.Action.ARM, Duration.ofSeconds(30), null),
                new BmcWatchdog(h, bmc, BmcWatchdog.Action.DISARM, Duration.ofSeconds(30),
                        new BmcWatchdog.Ending(v, true, after -> new Note(h, after, Map.of()))),
                new BmcWatchdog(h, bmc, BmcWatchdog.Action.DISARM, Duration.ofSeconds(30), null));
        return List.of(new Step.Sequence(List.of(new Step.Parallel(2, steps))));
    }

    @Test
    void theTestCoversEveryStepKind() {
        Set<Class<?>> covered = new java.util.HashSet<>();
        collect(everyKind().get(0), covered);
        assertThat(covered).containsAll(kinds(Step.class));
    }

    /** Every concrete step kind: the permitted subclasses, and theirs where they are sealed interfaces themselves. */
    private static List<Class<?>> kinds(Class<?> sealed) {
        List<Class<?>> out = new java.util.ArrayList<>();
        for (Class<?> k : sealed.getPermittedSubclasses()) {
            if (k.isSealed() && k.isInterface()) out.addAll(kinds(k));
            else out.add(k);
        }
        return out;
    }

    private static void collect(Step s, Set<Class<?>> into) {
        into.add(s.getClass());
        s.children().forEach(c -> collect(c, into));
    }

    @Test
    void noWordOfADryRunIsRunByTheShellItIsPastedInto() throws Exception {
        Plan plan = new Plan("ctys -t PM -a CREATE: " + hostile, List.of(hostile), everyKind().get(0),
                Map.of(hostile, Duration.ofSeconds(3)));
        String shown = plan.render();
        // nothing reaches the terminal that shows the dry run as a control character
        assertThat(shown.chars().filter(c -> c != '\n').noneMatch(c -> ControlChars.isControl((char) c))).as(shown).isTrue();

        for (String shell : List.of("/bin/bash", "/bin/sh")) {
            Files.deleteIfExists(log);
            for (String line : shown.split("\n")) run(shell, line.strip());
            try (var files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).as(shell + " ran a word of\n" + shown)
                        .noneMatch(n -> n.startsWith("pwn"));
            }
        }

        // bash gives every word back exactly: each program got the hostile value as one argument
        Files.deleteIfExists(log);
        for (String line : shown.split("\n")) run("/bin/bash", line.strip());
        Map<String, List<List<String>>> calls = calls();
        assertThat(calls.get("ssh")).as(shown).isNotEmpty().allSatisfy(argv -> {
            assertThat(argv).contains("-J", hostile + ",gw2", "-p", "2222", hostile + "@" + hostile);
        });
        assertThat(calls.get("ssh")).anySatisfy(argv -> assertThat(argv).endsWith(hostile + "@" + hostile, hostile));
        assertThat(calls.get("wakeonlan")).singleElement().satisfies(a -> assertThat(a).containsSubsequence("-i", hostile));
        assertThat(calls.get("ping")).singleElement().satisfies(a -> assertThat(a).endsWith(hostile));
        // RunCommand and AttachGuestConsole on this host
        assertThat(calls.get("sh")).hasSize(2).allSatisfy(a -> assertThat(a).isEqualTo(List.of("-c", hostile)));
        // AttachSol with FORCE abbreviates its second call as "ipmitool ... sol activate"
        // and BOOT_ONCE's two (boot device, power), the boot flags' read back; the watchdog's stops (get; get and off:
        // its arm has no ipmitool equivalent and is shown as a comment),
        // the console a Watching opens
        assertThat(calls.get("ipmitool")).filteredOn(a -> !a.get(0).equals("...")).hasSize(12)
                .allSatisfy(a -> assertThat(a).containsSubsequence("-H", hostile)
                .containsSubsequence("-U", hostile));
        assertThat(calls.get("picocom")).singleElement().isEqualTo(List.of("-b", "115200", "-d", "8", "-y", "n", "-p", "1",
                "-f", "n", hostile));
        assertThat(calls.get("xterm")).singleElement().isEqualTo(List.of("-T", hostile, "-e", "ctys", "-l", hostile,
                "-t", "cli", "-a", "create", "--", hostile));
        assertThat(calls.get("ssh")).anySatisfy(argv -> assertThat(argv).startsWith("-N", "-L",
                "127.0.0.1:<local-port>:localhost:<port>"));
        assertThat(calls.get("ssh")).anySatisfy(argv -> assertThat(argv).endsWith(hostile + "@" + hostile,
                "virsh -c " + ShellWords.quote(hostile) + " vncdisplay " + ShellWords.quote(hostile)));
        assertThat(calls.get("xtigervncviewer")).hasSize(3).contains(List.of("-passwd", "<file>", "127.0.0.1::<local-port>"));
        assertThat(calls.get("gnome-terminal")).singleElement().isEqualTo(List.of("--title=" + hostile, "--", "ctys",
                "-t", "cli", "-a", "create", "--", hostile));
    }

    private void run(String shell, String line) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(shell, "-c", line).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("shell.out").toFile());
        pb.environment().clear();
        pb.environment().put("PATH", bin.toString());
        Process p = pb.start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as(line).isTrue();
    }

    /** What each stand-in was called with, by program. */
    private Map<String, List<List<String>>> calls() throws IOException {
        Map<String, List<List<String>>> calls = new LinkedHashMap<>();
        if (!Files.exists(log)) return calls;
        List<String> current = new ArrayList<>();
        for (String field : Files.readString(log, StandardCharsets.UTF_8).split("\0")) {
            if (field.equals("\u0001")) {
                calls.computeIfAbsent(current.get(0), k -> new ArrayList<>()).add(List.copyOf(current.subList(1, current.size())));
                current.clear();
            } else {
                current.add(field);
            }
        }
        return calls.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
