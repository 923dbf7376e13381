package org.ctys.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ctys.testkit.CtysRunner;
import org.ctys.testkit.OpenSshd;
import org.ctys.testkit.Proc;
import org.ctys.testkit.SshKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Host names whose lookup hangs (a name server that never answers) do not hold up the other
 * hosts of a fan-out. A network namespace of the test's own, whose resolv.conf (ip netns exec
 * mounts /etc/netns/NS/resolv.conf over /etc/resolv.conf) names 127.0.0.53, where socat takes every
 * query and answers none; an OpenSSH sshd on 127.0.0.1 in it. ctys runs there with the JDK's common
 * pool at 2 threads, as on a 3-core machine (on 2 cores the JDK gives each lookup a thread of its
 * own, and the fault does not show): the lookups were queued there, behind the hanging ones.
 */
@Timeout(120)
class SshLookupIT {

    @Test
    void aHostWhoseNameResolvesIsNotHeldUpByNamesThatHang() throws Exception {
        Proc.requireRoot();
        String ns = "ctysdns-" + ProcessHandle.current().pid();
        Path etc = Path.of("/etc/netns", ns);
        Path work = Files.createTempDirectory("ctys-lookup-it");
        Process silentDns = null;
        OpenSshd sshd = null;
        try {
            Proc.ok("ip", "netns", "add", ns);
            Proc.ok("ip", "-n", ns, "link", "set", "lo", "up");
            Files.createDirectories(etc);
            Files.writeString(etc.resolve("resolv.conf"), "nameserver 127.0.0.53\noptions timeout:30 attempts:1\n");
            silentDns = new ProcessBuilder("ip", "netns", "exec", ns, Proc.require("socat", "socat"), "-u",
                    "UDP-RECV:53,bind=127.0.0.53", "/dev/null").redirectErrorStream(true).start();
            Path key = SshKey.generate(work.resolve("key")).privateKey();
            sshd = OpenSshd.start(work.resolve("sshd"), ns, "127.0.0.1", 2222, Path.of(key + ".pub"));
            Path home = Files.createDirectories(work.resolve("home"));
            Path ssh = Files.createDirectories(home.resolve(".ssh"));
            Files.copy(key, ssh.resolve("id_ed25519"));
            Files.writeString(ssh.resolve("config"), """
                    Host good
                        HostName 127.0.0.1
                        Port 2222
                    Host *
                        User root
                        ConnectTimeout 4
                    """);
            sshd.trustIn(home);

            List<String> args = List.of("-q", "-X", "-t", "cli", "-a", "create=cmd:echo reached", "hang[1-8]", "good");
            Proc.Outcome r = new CtysRunner(home).in(ns)
                    .env("JAVA_TOOL_OPTIONS", "-Djava.util.concurrent.ForkJoinPool.common.parallelism=2")
                    .run(args.toArray(String[]::new));
            assertThat(r.out()).as(r.err()).contains("good;ok;");
            for (String hung : List.of("hang1", "hang2", "hang3", "hang4", "hang5", "hang6", "hang7", "hang8")) {
                assertThat(r.out()).contains(hung + ";").contains("no answer resolving host name " + hung + " within 4 s");
            }
            assertThat(r.took().toSeconds()).as("each hanging name ends at its own connect timeout, all at once").isLessThan(30);
        } finally {
            if (sshd != null) sshd.kill();
            if (silentDns != null) Proc.kill(silentDns);
            Proc.quietly("ip", "netns", "del", ns);
            Proc.deleteTree(etc);
            Proc.deleteTree(work);
        }
    }
}
