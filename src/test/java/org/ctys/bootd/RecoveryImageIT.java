package org.ctys.bootd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.ctys.testkit.Proc;
import org.ctys.testkit.SiteCa;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The recovery image built from this machine's Debian kernel, busybox-static and openssl, booted
 * in QEMU (TCG, user networking: the guest's 10.0.2.2 is this machine's 127.0.0.1), against an
 * HTTPS server on 127.0.0.1 whose certificate the site CA signed for boot.example. QEMU ends when
 * the recovery system powers off; every boot is bounded.
 */
class RecoveryImageIT {
    private static final String MAC = "52:54:00:12:34:56";
    private static final String SERVER = "boot.example";
    private static final Duration BOOT_LIMIT = Duration.ofMinutes(4);

    private static Path work;
    private static SiteCa site;
    private static RecoveryImage.Description image;

    @BeforeAll
    static void buildTheImage() throws Exception {
        Proc.require("qemu-system-x86_64", "qemu-system-x86");
        work = Files.createTempDirectory("ctys-recovery-it-");
        site = SiteCa.create(work.resolve("site"), "Site CA");
        long t0 = System.nanoTime();
        image = RecoveryImage.build(work.resolve("image"), site.certificate(), SERVER, Optional.empty());
        System.out.println(image + "\n  built in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    @AfterAll
    static void removeTheWork() {
        Proc.deleteTree(work);
    }

    @Test
    void aSucceedingScriptIsFetchedWithTokenAndMacRunsAndItsOutputAndExit0ArePostedBack() throws Exception {
        String token = token();
        String script = "echo \"hello from $(uname -r)\"\necho to stderr >&2\nexit 0\n";
        try (ScriptServer server = new ScriptServer(site.issue(SERVER), "JOBOK0000001", token, script)) {
            JobTicket ticket = new JobTicket(SERVER, "10.0.2.2", server.port(), "JOBOK0000001", MAC, token);
            String console = boot("virtio-net-pci", kernelAndInitrd(ticket));

            assertThat(console).contains("ctys-recovery: job JOBOK0000001 from the kernel command line: server boot.example at 10.0.2.2")
                    .contains("ctys-recovery: script exit 0").contains("ctys-recovery: result posted")
                    .contains("ctys-recovery: power off");
            List<ScriptServer.Request> requests = server.requests();
            assertThat(requests).hasSize(2);
            assertThat(requests.get(0)).isEqualTo(new ScriptServer.Request("GET", "/job/JOBOK0000001/script", "Bearer " + token, MAC, ""));
            // the result with the token the script came with, not the job's (which a PXE boot shows the LAN)
            assertThat(server.resultToken()).isNotEqualTo(token);
            assertThat(requests.get(1)).isEqualTo(new ScriptServer.Request("POST", "/job/JOBOK0000001/result", "Bearer " + server.resultToken(), MAC,
                    "exit 0\nhello from " + image.kernelVersion() + "\nto stderr\n"));
        }
    }

    @Test
    void aFailingScriptsExitStatusIsPostedBackOverAnE1000Card() throws Exception {
        String token = token();
        try (ScriptServer server = new ScriptServer(site.issue(SERVER), "JOBFAIL00001", token, "echo broken disk\nexit 3\n")) {
            JobTicket ticket = new JobTicket(SERVER, "10.0.2.2", server.port(), "JOBFAIL00001", MAC, token);
            String console = boot("e1000", kernelAndInitrd(ticket));

            assertThat(console).contains("ctys-recovery: network drivers: e1000").contains("ctys-recovery: script exit 3")
                    .contains("ctys-recovery: result posted");
            assertThat(server.requests()).extracting(ScriptServer.Request::body).containsExactly("", "exit 3\nbroken disk\n");
        }
    }

    @Test
    void aServerCertificateFromAnotherCaStopsTheMachineBeforeItSendsItsToken() throws Exception {
        String token = token();
        SiteCa other = SiteCa.create(work.resolve("other"), "Other CA");
        try (ScriptServer server = new ScriptServer(other.issue(SERVER), "JOBBADCA0001", token, "echo never\n")) {
            JobTicket ticket = new JobTicket(SERVER, "10.0.2.2", server.port(), "JOBBADCA0001", MAC, token);
            String console = boot("virtio-net-pci", kernelAndInitrd(ticket));

            assertThat(console).contains("ctys-recovery: the server's certificate does not verify for boot.example against "
                    + "/etc/ctys/ca.crt").contains(": the token was not sent").contains("ctys-recovery: power off")
                    .doesNotContain("script exit");
            assertThat(server.requests()).isEmpty();
        }
    }

    @Test
    void theCdImageBootsWithItsTicketAndWithoutOneSaysNoJobAndPowersOff() throws Exception {
        String token = token();
        Path iso = work.resolve("media/lab07.iso");
        try (ScriptServer server = new ScriptServer(site.issue(SERVER), "JOBCDROM0001", token, "echo from the cd\nexit 0\n")) {
            new IsoImage(image.kernel().getParent()).write(iso,
                    Optional.of(new JobTicket(SERVER, "10.0.2.2", server.port(), "JOBCDROM0001", MAC, token)));
            String console = boot("virtio-net-pci", List.of("-cdrom", iso.toString(), "-boot", "d"));

            assertThat(console).contains("ctys-recovery: job JOBCDROM0001 from /etc/ctys/job").contains("ctys-recovery: result posted");
            assertThat(server.requests()).extracting(ScriptServer.Request::body).containsExactly("", "exit 0\nfrom the cd\n");
        }
        new IsoImage(image.kernel().getParent()).write(iso, Optional.empty());
        String console = boot("virtio-net-pci", List.of("-cdrom", iso.toString(), "-boot", "d"));
        assertThat(console).contains("ctys-recovery: no job").contains("ctys-recovery: power off").doesNotContain("fetching");
    }

    @Test
    void withKeepTheMachineStaysUpAfterItsResultWithAShellOnTheConsole() throws Exception {
        String token = token();
        try (ScriptServer server = new ScriptServer(site.issue(SERVER), "JOBKEEP00001", token, "echo kept\n")) {
            JobTicket ticket = new JobTicket(SERVER, "10.0.2.2", server.port(), "JOBKEEP00001", MAC, token);
            List<String> command = qemu("virtio-net-pci", List.of("-kernel", image.kernel().toString(), "-initrd",
                    image.initrd().toString(), "-append", "console=ttyS0 quiet panic=-1 " + ticket.kernelArguments() + " ctys.keep=1"));
            StringBuffer console = new StringBuffer();
            Process qemu = new ProcessBuilder(command).redirectErrorStream(true).start();
            try {
                Thread reader = new Thread(() -> {
                    try (var in = qemu.getInputStream()) {
                        byte[] buffer = new byte[4096];
                        for (int n; (n = in.read(buffer)) > 0; ) console.append(new String(buffer, 0, n, java.nio.charset.StandardCharsets.UTF_8));
                    } catch (java.io.IOException e) {
                        // QEMU ended; the console so far tells the test what happened
                    }
                }, "qemu-console");
                reader.setDaemon(true);
                reader.start();
                assertThat(Proc.await(() -> console.toString().contains("a shell on the console"), BOOT_LIMIT))
                        .as("%s", console).isTrue();
                assertThat(server.requests()).extracting(ScriptServer.Request::body).containsExactly("", "exit 0\nkept\n");
                // the shell answers on the serial line; then it powers the machine off, which ends QEMU
                var typing = qemu.getOutputStream();
                assertThat(Proc.await(() -> {
                    try {
                        typing.write("echo still-$((6 * 7))-up\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                        typing.flush();
                    } catch (java.io.IOException e) {
                        throw new AssertionError("QEMU's console input closed: " + console, e);
                    }
                    return console.toString().contains("still-42-up");
                }, Duration.ofSeconds(60), Duration.ofSeconds(2))).as("%s", console).isTrue();
                typing.write("poweroff -f\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                typing.flush();
                assertThat(qemu.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("%s", console).isTrue();
                assertThat(console.toString()).doesNotContain("ctys-recovery: power off");
            } finally {
                Proc.kill(qemu);
            }
        }
    }

    private static List<String> kernelAndInitrd(JobTicket ticket) {
        return List.of("-kernel", image.kernel().toString(), "-initrd", image.initrd().toString(),
                "-append", "console=ttyS0 quiet panic=-1 " + ticket.kernelArguments());
    }

    /** Boots QEMU until the guest powers off (-no-reboot: a panic ends it too); returns the serial console. */
    private static String boot(String nicModel, List<String> media) {
        Proc.Outcome o = Proc.run(BOOT_LIMIT, qemu(nicModel, media));
        String console = o.out().replace("\r", "");
        System.out.println("boot (" + nicModel + ", " + media.get(0) + ") took " + o.took().toMillis() + " ms:\n" + console);
        assertThat(o.exit()).as(o.toString()).isZero();
        return console;
    }

    /** QEMU under TCG (never KVM), its serial line on stdio, one NIC with the job's MAC in user networking. */
    private static List<String> qemu(String nicModel, List<String> media) {
        List<String> command = new ArrayList<>(List.of(Proc.require("qemu-system-x86_64", "qemu-system-x86"),
                "-accel", "tcg", "-m", "512", "-nographic", "-no-reboot", "-nic", "user,model=" + nicModel + ",mac=" + MAC));
        command.addAll(media);
        return command;
    }

    private static String token() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
