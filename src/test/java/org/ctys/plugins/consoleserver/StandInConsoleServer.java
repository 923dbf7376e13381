package org.ctys.plugins.consoleserver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ctys.testkit.OpenSshd;
import org.ctys.testkit.Proc;
import org.ctys.testkit.SshKey;

/**
 * A STAND-IN console server, not ctys-consoled: a real OpenSSH server on 127.0.0.1 whose every
 * session runs a script (ForceCommand) that speaks the front door's command protocol as the shared
 * design writes it, so that ctys's client is tested over real SSH before the daemon exists. It
 * records each command it got, with whether it had a pseudo terminal and of what size, in
 * {@link #commands}; {@code list --json} prints {@link #list}; the consoles lab07 and lab08 are a
 * raw terminal that shows what is typed and records every byte of it in {@code typed-<console>};
 * lab09 is removed from the configuration after one line is typed (exit 1); {@code forbidden}
 * exits 3, {@code nosuch} 1, {@code garbled} 2, each with one line {@code ctys-consoled: ...}.
 */
final class StandInConsoleServer implements AutoCloseable {
    final Path dir;
    final OpenSshd sshd;
    /** A HOME for ctys: ~/.ssh/id_ed25519 and a known_hosts that trusts the server. */
    final Path home;
    final Path commands;
    final Path list;

    private StandInConsoleServer(Path dir, OpenSshd sshd, Path home) {
        this.dir = dir;
        this.sshd = sshd;
        this.home = home;
        this.commands = dir.resolve("commands.log");
        this.list = dir.resolve("list.json");
    }

    static StandInConsoleServer onLoopback(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path script = dir.resolve("consoled-stand-in.sh");
        Files.writeString(script, String.join("\n",
                "# STAND-IN console server (not ctys-consoled): the front door's command protocol, for the client's tests.",
                "W=" + Proc.shellQuote(dir.toString()),
                "if [ -t 0 ]; then tty=\"pty $(stty size)\"; else tty=nopty; fi",
                "printf '%s|%s\\n' \"$tty\" \"$SSH_ORIGINAL_COMMAND\" >> \"$W/commands.log\"",
                "set -f; set -- $SSH_ORIGINAL_COMMAND",
                "case \"$1\" in",
                "  list) [ \"$*\" = 'list --json' ] || { echo \"ctys-consoled: malformed command: '$2'\" >&2; exit 2; }",
                "        cat \"$W/list.json\"; exit 0 ;;",
                "  forbidden) echo 'ctys-consoled: alice may not see forbidden' >&2; exit 3 ;;",
                "  nosuch) echo \"ctys-consoled: no console 'nosuch'\" >&2; exit 1 ;;",
                "  garbled) echo \"ctys-consoled: malformed command: unknown word '--bogus'\" >&2; exit 2 ;;",
                "  lab07|lab08) stty raw -echo",
                "        printf '[stand-in console server: %s attached]\\r\\n' \"$1\"",
                "        exec tee -a \"$W/typed-$1\" ;;",
                "  lab09) printf '[stand-in console server: lab09 attached]\\r\\n'; read line",
                "        printf '\\r\\n[ctys-consoled: lab09 removed from the configuration]\\r\\n'",
                "        echo 'ctys-consoled: lab09 was removed from the configuration' >&2; exit 1 ;;",
                "  *) echo \"ctys-consoled: no console '$1'\" >&2; exit 1 ;;",
                "esac",
                ""), StandardCharsets.UTF_8);
        Path home = Files.createDirectories(dir.resolve("home"));
        SshKey key = SshKey.generate(home.resolve(".ssh/id_ed25519"));
        OpenSshd sshd = OpenSshd.onLoopback(dir.resolve("sshd"), key.publicKey(), List.of("ForceCommand /bin/sh " + script));
        sshd.trustIn(home);
        return new StandInConsoleServer(dir, sshd, home);
    }

    /** {@code root@127.0.0.1:<port>}, as SERVER: takes it. */
    String server() { return "root@" + sshd.address + ":" + sshd.port; }

    List<String> commands() throws IOException {
        return Files.exists(commands) ? Files.readAllLines(commands) : List.of();
    }

    /** Every byte typed into {@code console}'s session, as the server got it. */
    String typed(String console) throws IOException {
        Path f = dir.resolve("typed-" + console);
        return Files.exists(f) ? Files.readString(f, StandardCharsets.ISO_8859_1) : "";
    }

    @Override
    public void close() { sshd.close(); }
}
