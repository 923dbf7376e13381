package org.ctys.consoled;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConmanImportTest {

    @TempDir
    Path dir;

    private static ImportRun run(Path p) throws Exception { return ImportRun.of(ConmanImport::run, p); }

    @Test
    void debiansExampleFileIsReadWholeAndGivesAConfigurationWithoutConsoles() throws Exception {
        Path debian = Path.of("/etc/conman.conf");
        assertThat(debian).as("the Debian package conman installs /etc/conman.conf").exists();
        ImportRun r = run(debian);
        assertThat(r.err()).isEmpty();
        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("# ctys-consoled configuration imported from /etc/conman.conf");
        assertThat(r.yaml()).as("only comments: every directive in Debian's file is commented out").isNull();
    }

    /** Every note the import writes quotes the source: a line break YAML knows and Java's "control" does not must not end the comment. */
    @Test
    void aSourceFieldWithAYamlLineBreakStaysInsideItsComment() throws Exception {
        for (String lineBreak : List.of("\u2028", "\u2029", "\u0085")) {
            Path in = Files.writeString(dir.resolve("evil.conf"), "console name=\"lab1\" dev=\"/dev/ttyS0\" log=\"x" + lineBreak
                    + "  evil: {cmd: touch /tmp/pwned} #\"\n", java.nio.charset.StandardCharsets.UTF_8);
            ImportRun r = run(in);
            assertThat(r.consoles()).as("U+%04X", (int) lineBreak.charAt(0)).containsOnlyKeys("lab1");
            assertThat(r.out()).doesNotContain(lineBreak);
        }
    }

    @Test
    void everyKindOfConsoleConvertsKeyByKey() throws Exception {
        Path in = ImportRun.sample("site-conman.conf");
        ImportRun r = run(in);
        assertThat(r.err()).isEmpty();
        assertThat(r.status()).isZero();
        assertThat(r.yaml()).containsOnlyKeys("listen", "log-dir", "pid-file", "mark", "access", "consoles");
        assertThat(r.yaml()).containsEntry("listen", "0.0.0.0:7890").containsEntry("log-dir", "/var/log/conman")
                .containsEntry("pid-file", "/var/run/conmand.pid").containsEntry("mark", "1h");
        assertThat(r.consoles()).containsOnlyKeys("lab07", "lab08", "ts1-3", "lab09", "lab10", "pdu1", "blade2", "vm1", "lab11");
        assertThat(r.at("consoles", "lab07", "serial")).isEqualTo(Map.of("device", "/dev/ttyS0", "speed", 115200,
                "parity", "none", "bits", 8, "stop", 1, "flow", "none"));
        assertThat(r.at("consoles", "lab08", "serial")).isEqualTo(Map.of("device", "/dev/ttyUSB0", "speed", 9600,
                "parity", "even", "bits", 7, "stop", 2, "flow", "none"));
        assertThat(r.at("consoles", "ts1-3", "tcp")).isEqualTo(Map.of("host", "ts1.example", "port", 7003, "telnet", true));
        assertThat(r.at("consoles", "lab09", "sol")).isEqualTo(Map.of("address", "10.0.0.9", "user", "admin",
                "password-file", "secrets/lab09.pw", "cipher-suite", 3));
        assertThat(r.at("consoles", "lab10", "sol")).isEqualTo(Map.of("address", "10.0.0.10", "port", 6230, "user", "root",
                "password-file", "secrets/lab10.pw", "kg-file", "secrets/lab10.kg", "cipher-suite", 17));
        assertThat(r.at("consoles", "pdu1", "cmd")).isEqualTo("/usr/lib/conman/exec/ssh.exp pdu1.example 22 admin");
        assertThat(r.at("consoles", "blade2", "sol")).isEqualTo(Map.of("address", "10.0.0.12", "user", "ADMIN",
                "password-file", "secrets/blade2.pw", "kg-file", "secrets/blade2.kg"));
        assertThat(r.at("consoles", "vm1", "cmd")).isEqualTo("socat STDIO,raw,echo=0 UNIX-CONNECT:/run/qemu/vm1.sock");
        assertThat(r.at("consoles", "lab11", "cmd")).as("%N kept inside single quotes, replaced outside")
                .isEqualTo("/usr/local/bin/console-of %N lab11");
        assertThat(r.yaml().get("access")).isEqualTo(List.of(Map.of("consoles", List.of("*"), "rw", List.of("*"))));
        assertThat(r.out()).contains("  # " + in + ":17: console lab07\n  lab07:", "  # " + in + ":21: console lab10\n  lab10:")
                .contains("#   secrets/lab10.pw: the BMC password of console lab10 (ipmiopts P: at " + in + ":22; written there in hexadecimal")
                .contains("#   /etc/conman.pswd: a line '<host-regex> : <user> : <password>' for the consoles pdu1")
                .contains("conman logged it to /var/log/conman/vm/vm1-console.log; ctys-consoled logs it to /var/log/conman/vm1.log");
    }

    @Test
    void passwordsAndKeysNeverReachTheOutput() throws Exception {
        ImportRun r = run(ImportRun.sample("site-conman.conf"));
        String all = r.said();
        for (String secret : List.of("Secr3tBmc!", "6f746865722d7077", "KgKey1234", "PduPass99", "IpmiToolPw", "KgToolKey")) {
            assertThat(all).doesNotContain(secret);
        }
        Path bad = ImportRun.write(dir, "bad.conf", "console name=\"x\" dev=\"ipmi:h\" ipmiopts=\"U:u,P:TooLongPassword-abcdefghij\"\n"
                + "console name=\"y\" dev=\"ipmi:h\" ipmiopts=\"admin,OldFormPw9,-,solpayloadsize\"\n");
        ImportRun b = run(bad);
        assertThat(b.out() + b.err()).doesNotContain("TooLongPassword").doesNotContain("OldFormPw9");
        assertThat(b.err()).containsExactly(bad + ":1: ipmiopts P: the password is longer than 20 bytes (or 40 hexadecimal"
                + " digits after 0x); console x left out", bad + ":2: ipmiopts W:solpayloadsize (console y) has no equivalent in"
                + " ctys-consoled: ctys's Serial-over-LAN has no FreeIPMI workaround flags; the console is opened without it");
        assertThat(b.at("consoles", "y", "sol")).isEqualTo(Map.of("address", "h", "user", "admin", "password-file", "secrets/y.pw"));
    }

    /** A password on a dev= command line would go into the YAML and into ps: refused as conserver's exec is, the secret never printed. */
    @Test
    void aCommandWithAPasswordOnItsCommandLineIsRefusedAndTheSecretNotWritten() throws Exception {
        Path in = ImportRun.write(dir, "conman.conf", String.join("\n",
                "CONSOLE name=\"lab1\" dev=\"/usr/bin/ipmitool -I lanplus -H bmc1 -U admin -P hunter2 sol activate\"",
                "CONSOLE name=\"lab2\" dev=\"/usr/sbin/ipmiconsole -h bmc2 -u admin -p hunter3\"",
                "CONSOLE name=\"lab3\" dev=\"sshpass -p 'hunter 4' ssh root@x\"",
                "CONSOLE name=\"ok\" dev=\"/usr/bin/ipmitool -I lanplus -H bmc4 -U admin -f /etc/bmc4.pw -p 623 sol activate\"",
                ""));
        ImportRun r = run(in);
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.consoles()).containsOnlyKeys("ok");
        String no = " has no equivalent in ctys-consoled: " + CommandSecrets.WHY;
        assertThat(r.err()).containsExactly(
                in + ":1: dev= with a secret on its command line (ipmitool -P) (console lab1)" + no,
                in + ":2: dev= with a secret on its command line (ipmiconsole -p) (console lab2)" + no,
                in + ":3: dev= with a secret on its command line (sshpass -p) (console lab3)" + no);
        assertThat(r.said()).doesNotContain("hunter");
    }

    /**
     * A secret option inside one argument (sh -c '...') or one set in the environment on the command line
     * (IPMI_PASSWORD=..., SSHPASS=...) was not seen: the command, with its secret, went into the YAML.
     */
    @Test
    void aSecretInsideAnArgumentOrInTheCommandsEnvironmentIsRefused() throws Exception {
        Path in = ImportRun.write(dir, "conman.conf", String.join("\n",
                "CONSOLE name=\"a\" dev=\"sh -c 'ipmitool -I lanplus -H bmc1 -U admin -P Secret1 sol activate'\"",
                "CONSOLE name=\"b\" dev=\"/bin/sh -c 'exec /usr/lib/conman/exec/sun-ilom.exp ilom1 root Secret2'\"",
                "CONSOLE name=\"c\" dev=\"IPMI_PASSWORD=Secret3 ipmitool -I lanplus -E -H bmc3 sol activate\"",
                "CONSOLE name=\"d\" dev=\"env SSHPASS=Secret4 sshpass -e ssh root@pdu1\"",
                "CONSOLE name=\"ok\" dev=\"sh -c 'ipmitool -I lanplus -H bmc5 -U admin -f /etc/bmc5.pw sol activate'\"",
                ""));
        ImportRun r = run(in);
        assertThat(r.status()).isEqualTo(3);
        String no = " has no equivalent in ctys-consoled: ";
        assertThat(r.err()).containsExactly(
                in + ":1: dev= with a secret on its command line (ipmitool -P) (console a)" + no + CommandSecrets.WHY,
                in + ":2: dev= with a secret on its command line (sun-ilom.exp's password argument) (console b)" + no
                        + CommandSecrets.SCRIPT_WHY,
                in + ":3: dev= with a secret on its command line (IPMI_PASSWORD=) (console c)" + no + CommandSecrets.WHY,
                in + ":4: dev= with a secret on its command line (SSHPASS=) (console d)" + no + CommandSecrets.WHY);
        assertThat(r.consoles()).containsOnlyKeys("ok");
        assertThat(r.said()).doesNotContain("Secret");
    }

    /**
     * conmand splits ipmiopts at commas with strtok, which skips empty fields: in the old form "user,,pswd,k_g" the
     * password is the second field, not a workaround flag quoted in a refusal. A flag conmand does not know
     * (perhaps the rest of a password with a comma) leaves the console out, as in conmand, without quoting it;
     * W:default and W:none clear the flags.
     */
    @Test
    void ipmioptsFieldsAreReadAsConmandReadsThemAndAnUnknownFlagIsNotQuoted() throws Exception {
        Path in = ImportRun.write(dir, "conman.conf", String.join("\n",
                "CONSOLE name=\"a\" dev=\"ipmi:bmc1\" ipmiopts=\"admin,,Secret1,Secret2\"",
                "CONSOLE name=\"b\" dev=\"ipmi:bmc2\" ipmiopts=\"admin,pw,Secret3,Secret4\"",
                "CONSOLE name=\"c\" dev=\"ipmi:bmc3\" ipmiopts=\"U:admin,W:default\"",
                "CONSOLE name=\"d\" dev=\"ipmi:bmc4\" ipmiopts=\"W:solport,W:none\"",
                "CONSOLE name=\"e\" dev=\"ipmi:bmc5\" ipmiopts=\"W:solport,W:0x4\"",
                ""));
        ImportRun r = run(in);
        assertThat(r.status()).isEqualTo(3);
        String no = " has no equivalent in ctys-consoled: ctys's Serial-over-LAN has no FreeIPMI workaround flags; the"
                + " console is opened without it";
        assertThat(r.err()).containsExactly(
                in + ":2: ipmiopts W: is not a workaround flag conmand knows (not shown: it may be part of a password);"
                        + " console b left out",
                in + ":5: ipmiopts W:solport (console e)" + no,
                in + ":5: ipmiopts W:0x4 (console e)" + no);
        assertThat(r.consoles()).containsOnlyKeys("a", "c", "d", "e");
        assertThat(r.at("consoles", "a", "sol")).isEqualTo(Map.of("address", "bmc1", "user", "admin",
                "password-file", "secrets/a.pw", "kg-file", "secrets/a.kg"));
        assertThat(r.said()).doesNotContain("Secret");
    }

    /** A quote inside ipmiopts ends the string: the rest of the password is then read as a keyword, and must not be quoted. */
    @Test
    void aWordAfterIpmioptsIsNotQuotedInTheError() throws Exception {
        Path in = ImportRun.write(dir, "conman.conf", "CONSOLE name=\"a\" dev=\"ipmi:b\" ipmiopts=\"U:admin,P:ab\"Secret9\"\n"
                + "CONSOLE name=\"c\" dev=\"/dev/ttyS0\" bogus=\"x\"\n");
        ImportRun r = run(in);
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.err()).containsExactly(
                in + ":1: unknown keyword (not shown: it follows the value of ipmiopts, and may be part of it) in a CONSOLE"
                        + " directive; valid: name, dev, log, logopts, seropts, ipmiopts, testopts; the CONSOLE directive is left out",
                in + ":2: unknown keyword 'bogus' in a CONSOLE directive; valid: name, dev, log, logopts, seropts, ipmiopts,"
                        + " testopts; the CONSOLE directive is left out");
        assertThat(r.said()).doesNotContain("Secret9");
    }

    /**
     * conman's expect scripts take a password as an argument (ssh.exp HOST PORT USER PSWD). A quote inside it ends
     * dev=, and the rest was quoted as an unknown keyword; so was a password quoted on its own after the script's
     * other arguments, and a keyword that was part of it.
     */
    @Test
    void aPasswordOfAnExpectScriptCutAtAQuoteIsNeverQuoted() throws Exception {
        Path in = ImportRun.write(dir, "conman.conf", String.join("\n",
                "CONSOLE name=\"a\" dev=\"/usr/lib/conman/exec/ssh.exp pdu1 22 admin pa\"Secret1\"",
                "CONSOLE name=\"b\" dev=\"ssh.exp host user pa\\\"Secret2\\\"\"",
                "CONSOLE name=\"c\" dev=\"/usr/lib/conman/exec/ssh.exp pdu1 22 admin \"Secret3\"",
                "CONSOLE name=\"d\" dev=\"ipmitool.exp bmc1 admin \"Secret4\"",
                "CONSOLE name=\"e\" dev=\"sun-ilom.exp ilom1 root \"log\"Secret5\"",
                "CONSOLE name=\"f\" dev=\"ssh.exp pdu1 22 admin x\" log=\"a\" Secret6\"",
                "CONSOLE name=\"g\" dev=\"/usr/lib/conman/exec/ssh.exp pdu1 22 admin\" bogus=\"x\"",
                ""));
        ImportRun r = run(in);
        assertThat(r.status()).isEqualTo(3);
        String hidden = "unknown keyword (not shown: it follows the value of dev, and may be part of it) in a CONSOLE"
                + " directive; valid: name, dev, log, logopts, seropts, ipmiopts, testopts; the CONSOLE directive is left out";
        assertThat(r.err()).containsExactly(
                in + ":1: " + hidden,
                in + ":2: " + hidden,
                in + ":3: " + hidden,
                in + ":4: " + hidden,
                in + ":5: a keyword after the value of dev is not followed by '=' and a value (not shown: it may be part of"
                        + " that value); the CONSOLE directive is left out",
                in + ":6: " + hidden,
                in + ":7: " + hidden);
        assertThat(r.said()).doesNotContain("Secret").doesNotContain("'log'")
                .doesNotContain("after log");
    }

    /**
     * An expect script that is conmand's program converts without its password argument (it then reads
     * /etc/conman.pswd); one run by another program (expect SCRIPT ...) keeps the password where the import cannot
     * take it out, and is refused as a command with ipmitool -P is.
     */
    @Test
    void anExpectScriptsPasswordIsLeftOutOrTheConsoleRefused() throws Exception {
        Path in = ImportRun.write(dir, "conman.conf", String.join("\n",
                "CONSOLE name=\"a\" dev=\"/usr/bin/expect /usr/lib/conman/exec/ssh.exp pdu1 22 admin Secret1\"",
                "CONSOLE name=\"b\" dev=\"expect -f /usr/lib/conman/exec/ipmitool.exp bmc1 admin Secret2\"",
                "CONSOLE name=\"c\" dev=\"/usr/lib/conman/exec/hp-ilo.exp ilo1 23 admin Secret3\"",
                "CONSOLE name=\"d\" dev=\"/usr/bin/expect /usr/lib/conman/exec/sun-ilom.exp ilom1 root\"",
                ""));
        ImportRun r = run(in);
        assertThat(r.status()).isEqualTo(3);
        String no = " has no equivalent in ctys-consoled: " + CommandSecrets.SCRIPT_WHY;
        assertThat(r.err()).containsExactly(
                in + ":1: dev= with a secret on its command line (ssh.exp's password argument) (console a)" + no,
                in + ":2: dev= with a secret on its command line (ipmitool.exp's password argument) (console b)" + no);
        assertThat(r.consoles()).containsOnlyKeys("c", "d");
        assertThat(r.at("consoles", "c", "cmd")).isEqualTo("/usr/lib/conman/exec/hp-ilo.exp ilo1 23 admin");
        assertThat(r.at("consoles", "d", "cmd")).isEqualTo("/usr/bin/expect /usr/lib/conman/exec/sun-ilom.exp ilom1 root");
        assertThat(r.said()).doesNotContain("Secret");
    }

    /**
     * A string cannot go on to the next line, not even after a backslash: the quote is left open, and the next line
     * read on its own. Where a secret was written across the two lines, its rest was quoted as an unknown directive.
     */
    @Test
    void theLineAfterAQuoteLeftOpenWithABackslashIsNotQuoted() throws Exception {
        Path in = ImportRun.write(dir, "conman.conf", String.join("\n",
                "CONSOLE name=\"a\" dev=\"ipmi:h\" ipmiopts=\"U:u,P:Secret1\\",
                "Secret2\"",
                "CONSOLE name=\"b\" dev=\"/usr/lib/conman/exec/ssh.exp h 22 u Secret3\\",
                "console Secret4\"",
                "CONSOLE name=\"c\" dev=\"/dev/ttyS0\" log=\"x\"",
                "bogus",
                "CONSOLE name=\"d\" dev=\"/usr/lib/conman/exec/ssh.exp h 22 u Secret5\\",
                "\\",
                "Secret6\"",
                ""));
        ImportRun r = run(in);
        assertThat(r.status()).isEqualTo(3);
        String hidden = "(not shown: the line before ends inside a quote, and it may be the rest of that value)";
        assertThat(r.err()).containsExactly(
                in + ":1: unterminated quote in the value of ipmiopts; the CONSOLE directive is left out",
                in + ":2: unknown directive " + hidden + "; conman.conf has SERVER, GLOBAL and CONSOLE directives",
                in + ":3: unterminated quote in the value of dev; the CONSOLE directive is left out",
                in + ":4: unknown keyword " + hidden + " in a CONSOLE directive; valid: name, dev, log, logopts, seropts,"
                        + " ipmiopts, testopts; the CONSOLE directive is left out",
                in + ":6: unknown directive 'bogus'; conman.conf has SERVER, GLOBAL and CONSOLE directives",
                in + ":7: unterminated quote in the value of dev; the CONSOLE directive is left out",
                in + ":9: unknown directive " + hidden + "; conman.conf has SERVER, GLOBAL and CONSOLE directives");
        assertThat(r.said()).doesNotContain("Secret");
    }

    /** A console name from the file reaches the terminal: its ESC and BEL must not retitle or clear it. */
    @Test
    void controlCharactersOfTheFileArePrintedVisibly() throws Exception {
        Path in = ImportRun.write(dir, "conman.conf", "CONSOLE name=\"x\u001b[2J\u001b]0;owned\u0007\" dev=\"/dev/ttyS0\"\n");
        ImportRun r = run(in);
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.err()).hasSize(1);
        assertThat(r.err().get(0)).startsWith(in + ":1: console name 'x\\e[2J\\e]0;owned\\a'").doesNotContain("\u001b", "\u0007");
    }

    @Test
    void whatHasNoEquivalentIsRefusedWithItsLineAndTheRestConverts() throws Exception {
        Path in = ImportRun.write(dir, "conman.conf", String.join("\n",
                "server tcpwrappers=on",
                "server resetcmd=\"powerman -r %N\"",
                "global ipmiopts=\"U:admin,W:solpayloadsize\"",
                "console name=\"b1\" dev=\"ipmi:10.0.0.1\" ipmiopts=\"C:1\"",
                "console name=\"old\" dev=\"/dev/ttyS2\" seropts=\"300,5n1\"",
                "console name=\"s1\" dev=\"/dev/ttyS3\" logopts=\"sanitize\"",
                "console name=\"two words\" dev=\"/dev/ttyS4\"",
                "console name=\"t\" dev=\"test:\"",
                ""));
        ImportRun r = run(in);
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.err()).containsExactly(
                in + ":1: server tcpwrappers=on has no equivalent in ctys-consoled: access by client host address"
                        + " (hosts.allow); ctys-consoled admits users by their SSH keys only",
                in + ":2: server resetcmd has no equivalent in ctys-consoled: there is no reset escape running a command;"
                        + " power a machine with ctys -t pm or -t sol instead",
                in + ":4: ipmiopts C:1 (console b1) has no equivalent in ctys-consoled: ctys speaks cipher suites 3 (its"
                        + " default), 17, 2, 16 and 0; the console uses suite 3",
                in + ":3: ipmiopts W:solpayloadsize (console b1) has no equivalent in ctys-consoled: ctys's"
                        + " Serial-over-LAN has no FreeIPMI workaround flags; the console is opened without it",
                in + ":5: 5 data bits (console old) has no equivalent in ctys-consoled: ctys's serial lines take 7 or 8 data bits",
                in + ":6: logopts sanitize (console s1) has no equivalent in ctys-consoled: the log keeps the bytes as"
                        + " the console sent them",
                in + ":7: console name 'two words' has no equivalent in ctys-consoled: " + ImportedConfig.CONSOLE_NAME_RULE,
                in + ":8: test console t has no equivalent in ctys-consoled: conman's built-in test pattern; use a cmd: console");
        assertThat(r.consoles()).containsOnlyKeys("b1", "s1");
        assertThat(r.at("consoles", "b1", "sol")).isEqualTo(Map.of("address", "10.0.0.1", "user", "admin"));
    }

    @Test
    void malformedLinesAreOneClearLineEachWithTheirPhysicalLine() throws Exception {
        Path in = ImportRun.write(dir, "conman.conf", String.join("\n",
                "# comment",
                "console name=\"a\" dev=\"/dev/ttyS0",
                "console name=\"b\" \\",
                "    bogus=\"x\" dev=\"/dev/ttyS1\"",
                "consol name=\"c\"",
                "server timestamp=5x",
                "global seropts=\"fast\"",
                "console name=\"d\" dev=\"/dev/ttyS2\"",
                "console name=\"d\" dev=\"/dev/ttyS3\"",
                "console name=\"e\" dev=\"/dev/ttyS4\"",
                ""));
        ImportRun r = run(in);
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.err()).containsExactly(
                in + ":2: unterminated quote in the value of dev; the CONSOLE directive is left out",
                in + ":4: unknown keyword 'bogus' in a CONSOLE directive; valid: name, dev, log, logopts, seropts,"
                        + " ipmiopts, testopts; the CONSOLE directive is left out",
                in + ":5: unknown directive 'consol'; conman.conf has SERVER, GLOBAL and CONSOLE directives",
                in + ":6: expected m, h or d after timestamp=5; the SERVER directive is left out",
                in + ":7: seropts \"fast\" is not bps[,databits[parity[stopbits]]], such as 115200,8n1"
                        + " (conmand ignores it without a word)",
                in + ":9: console 'd' is defined again (first at line 8); left out");
        assertThat(r.consoles()).containsOnlyKeys("d", "e");
        assertThat(r.at("consoles", "d", "serial", "device")).isEqualTo("/dev/ttyS2");
        assertThat(r.at("consoles", "e", "serial", "speed")).as("conman's default 9600, not ctys's").isEqualTo(9600);
    }

    /** The line end that shows a value is missing ends the directive: the next line is read, as conmand reads it. */
    @Test
    void aValueMissingAtTheEndOfItsLineLeavesTheNextLineAlone() throws Exception {
        Path in = ImportRun.write(dir, "conman.conf", String.join("\n",
                "server port",
                "console name=\"a\" dev=\"/dev/ttyS0\"",
                "server logdir=",
                "console name=\"b\" dev=\"/dev/ttyS1\"",
                "console name=\"c\"",
                "console name=\"d\" dev=\"/dev/ttyS3\"",
                ""));
        ImportRun r = run(in);
        assertThat(r.err()).containsExactly(
                in + ":1: expected '=' after port; the SERVER directive is left out",
                in + ":3: logdir needs a string, such as logdir=\"...\"; the SERVER directive is left out",
                in + ":5: a CONSOLE directive needs name= and dev=; left out");
        assertThat(r.consoles()).containsOnlyKeys("a", "b", "d");
    }

    /** A second console on a serial line or a BMC would never open under ctys-consoled; conmand refuses it too. */
    @Test
    void aSecondConsoleOnTheSameDeviceOrBmcIsLeftOut() throws Exception {
        Path in = ImportRun.write(dir, "conman.conf", String.join("\n",
                "console name=\"a\" dev=\"/dev/ttyS0\"",
                "console name=\"b\" \\",
                "   dev=\"/dev/ttyS0\"",
                "console name=\"c\" dev=\"ipmi:10.0.0.9\"",
                "console name=\"d\" dev=\"ipmi:10.0.0.9\"",
                "console name=\"e\" dev=\"/dev/ttyS1\"",
                ""));
        ImportRun r = run(in);
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.err()).containsExactly(
                in + ":2: console b has the device /dev/ttyS0 of console a; left out, as conmand leaves it out",
                in + ":5: console d has the BMC 10.0.0.9 of console c; left out, as conmand leaves it out");
        assertThat(r.consoles()).containsOnlyKeys("a", "c", "e");
    }

    /** Numbers beyond what the daemon takes were a stack trace (beyond a long) or a configuration it refuses. */
    @Test
    void aPortOrTimestampBeyondTheDaemonsLimitsIsRefused() throws Exception {
        Path in = ImportRun.write(dir, "conman.conf", String.join("\n",
                "SERVER port=99999999999",
                "SERVER port=70000",
                "SERVER timestamp=99999999999999999999",
                "SERVER timestamp=5000d",
                "SERVER port=+07890 timestamp=0090",
                ""));
        ImportRun r = run(in);
        assertThat(r.status()).isEqualTo(3);
        String no = " has no equivalent in ctys-consoled: ";
        String port = no + "ctys-consoled listens on a port up to 65535; the listen: address is left at its default";
        assertThat(r.err()).containsExactly(
                in + ":1: server port=99999999999" + port,
                in + ":2: server port=70000" + port,
                in + ":3: server timestamp=99999999999999999999m" + no + ImportedConfig.MARK_RULE,
                in + ":4: server timestamp=5000d" + no + ImportedConfig.MARK_RULE);
        assertThat(r.yaml()).containsEntry("listen", "0.0.0.0:7890").containsEntry("mark", "90m");
    }

    /**
     * Each ipmitool, ipmiconsole or sshpass in a command had the rest of the command searched for its options:
     * a dev= or exec of 100,000 words "ipmitool" did not end in two minutes.
     */
    @Test
    void aLongCommandIsSearchedForSecretsInLinearTime() throws Exception {
        String words = "ipmitool ".repeat(200_000);
        Path conman = ImportRun.write(dir, "conman.conf", "console name=\"a\" dev=\"" + words + "\"\n");
        Path conserver = ImportRun.write(dir, "conserver.cf", "console a { master localhost; type exec; exec \"" + words + "\"; }\n");
        // the command is one YAML line longer than the loader takes: the output is not read back here
        java.io.PrintStream sink = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        java.time.Duration limit = java.time.Duration.ofSeconds(20);
        assertThat(org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(limit, () -> ConmanImport.run(conman, sink, sink))).isZero();
        assertThat(org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(limit, () -> ConserverImport.run(conserver, sink, sink)))
                .isZero();
    }

    /**
     * Each command console looked for its program in every execpath directory, and its note repeated the execpath:
     * 400 consoles and an execpath of 50,000 directories took 80 s and wrote 400 notes of 1 MB each, lines the
     * daemon's loader refuses.
     */
    @Test
    void aLongExecpathIsSearchedOnceAndNotRepeated() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path mine = Files.writeString(bin.resolve("myprog"), "#!/bin/sh\n");
        mine.toFile().setExecutable(true);
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < 50_000; i++) path.append(dir.resolve("none" + i)).append(':');
        path.append(bin);
        StringBuilder text = new StringBuilder("server execpath=\"" + path + "\"\n");
        for (int i = 0; i < 400; i++) text.append("console name=\"c").append(i).append("\" dev=\"prog").append(i).append(" x\"\n");
        text.append("console name=\"m\" dev=\"myprog y\"\n");
        Path in = ImportRun.write(dir, "conman.conf", text.toString());
        ImportRun r = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> run(in));
        assertThat(r.status()).isZero();
        assertThat(r.at("consoles", "m", "cmd")).isEqualTo(mine + " y");
        assertThat(r.at("consoles", "c7", "cmd")).isEqualTo("prog7 x");
        assertThat(r.out()).contains("#   prog7 is not in the execpath (server execpath, " + in + ":1) here; /bin/sh searches its PATH")
                .doesNotContain("none1:");
    }

    /** A NUL in an execpath directory or in a program looked for there was a stack trace (InvalidPathException). */
    @Test
    void aNulInTheExecpathOrInAProgramIsNotAStackTrace() throws Exception {
        Path in = ImportRun.write(dir, "conman.conf", String.join("\n",
                "server execpath=\"/us\u0000r/bin:/usr/bin\"",
                "console name=\"a\" dev=\"ca\u0000t x\"",
                "console name=\"b\" dev=\"cat y\"",
                ""));
        ImportRun r = run(in);
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.err()).containsExactly(in + ":2: a control character in the command (console a) has no equivalent in"
                + " ctys-consoled: " + ImportedConfig.COMMAND_RULE);
        assertThat(r.at("consoles", "b", "cmd")).isEqualTo("/usr/bin/cat y");
    }

    /** A device is not read: /dev/zero would never end, and its size says 0. */
    @Test
    void onlyARegularFileIsRead() throws Exception {
        ImportRun r = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
                () -> run(Path.of("/dev/zero")));
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.err()).containsExactly("/dev/zero: cannot read: is not a regular file");
    }

    /** What the daemon's loader refuses is refused by the import, by the loader's rules, not written for --check to find. */
    @Test
    void namesAndCommandsTheLoaderRefusesAreRefused() throws Exception {
        Path in = ImportRun.write(dir, "conman.conf", String.join("\n",
                "CONSOLE name=\"-x\" dev=\"/dev/ttyS1\"",
                "CONSOLE name=\".x\" dev=\"/dev/ttyS2\"",
                "CONSOLE name=\"list\" dev=\"/dev/ttyS3\"",
                "CONSOLE name=\"HELP\" dev=\"/dev/ttyS4\"",
                "CONSOLE name=\"Lab2\" dev=\"/dev/ttyS5\"",
                "CONSOLE name=\"lab2\" dev=\"/dev/ttyS6\"",
                "CONSOLE name=\"a\" dev=\"/usr/bin/printf \u0001x\"",
                "CONSOLE name=\"b\" dev=\"unix:/run/b\u007f.sock\"",
                ""));
        ImportRun r = run(in);
        assertThat(r.status()).isEqualTo(3);
        String no = " has no equivalent in ctys-consoled: ";
        assertThat(r.err()).containsExactly(
                in + ":1: console name '-x'" + no + ImportedConfig.CONSOLE_NAME_RULE,
                in + ":2: console name '.x'" + no + ImportedConfig.CONSOLE_NAME_RULE,
                in + ":3: console name 'list'" + no + ImportedConfig.CONSOLE_NAME_RULE,
                in + ":4: console name 'HELP'" + no + ImportedConfig.CONSOLE_NAME_RULE,
                in + ":6: console name 'lab2'" + no + ImportedConfig.caseRule("Lab2"),
                in + ":7: a control character in the command (console a)" + no + ImportedConfig.COMMAND_RULE,
                in + ":8: a control character in the command (console b)" + no + ImportedConfig.COMMAND_RULE);
        assertThat(ImportedConfig.CONSOLE_NAME_RULE).contains(ConfigReader.CONSOLE_NAME_FORM, "help or list");
        assertThat(r.consoles()).containsOnlyKeys("Lab2");
    }

    /** Hosts, BMC addresses and file names the loader refuses, found by reading the import's output back with it. */
    @Test
    void hostsAndFileNamesTheLoaderRefusesAreRefused() throws Exception {
        Path in = ImportRun.write(dir, "conman.conf", String.join("\n",
                "SERVER logdir=\"/var/log/a\u0000b\" pidfile=\"/run/c\u0000d\"",
                "CONSOLE name=\"t\" dev=\"ts$1:7001\"",
                "CONSOLE name=\"s\" dev=\"ipmi:bmc'2\"",
                "CONSOLE name=\"z\" dev=\"ipmi:bmc3:0\"",
                "CONSOLE name=\"ok\" dev=\"ipmi:bmc4:623\"",
                ""));
        ImportRun r = run(in);
        assertThat(r.status()).isEqualTo(3);
        String no = " has no equivalent in ctys-consoled: ";
        assertThat(r.err()).containsExactly(
                in + ":1: server logdir" + no + ImportedConfig.PATH_RULE,
                in + ":1: server pidfile" + no + ImportedConfig.PATH_RULE,
                in + ":2: host 'ts$1' (console t)" + no + ImportedConfig.HOST_RULE,
                in + ":3: BMC address 'bmc'2' (console s)" + no + ImportedConfig.HOST_RULE,
                in + ":4: BMC address 'bmc3:0' (console z)" + no + ImportedConfig.HOST_RULE);
        assertThat(r.consoles()).containsOnlyKeys("ok");
        assertThat(r.at("consoles", "ok", "sol")).isEqualTo(Map.of("address", "bmc4", "port", 623));
    }

    @Test
    void aFileThatCannotBeReadIsOneLineAndStatus3() throws Exception {
        Path missing = dir.resolve("nope.conf");
        ImportRun r = run(missing);
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).containsExactly(missing + ": cannot read: does not exist");
        assertThat(Files.exists(missing)).isFalse();
    }
}
