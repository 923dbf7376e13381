package org.ctys.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every malformed command line ends in exit status 2 with one line that names the bad token,
 * then the synopsis and where to look; nothing is looked up or sent (all of these would send a
 * packet if they were valid, none carries -n).
 */
class CtysUsageTest {
    @TempDir
    Path home;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown type               | -t pn -a create=wol,bmac:aa:bb:cc:dd:ee:ff                   | unknown type 'pn' for -t; valid: BOOT, CLI, CONSOLE, GTERM, KVM, PM, SERIAL, SOL, VNC, XEN, XTERM; did you mean 'PM'?
            unknown action             | -t pm -a crate=wol,bmac:aa:bb:cc:dd:ee:ff                    | unknown action 'crate' for -t PM; valid: CREATE, CANCEL, LIST; did you mean 'CREATE'?
            unknown suboption          | -t pm -a create=wol,bmca:aa:bb:cc:dd:ee:ff                   | unknown suboption 'bmca:aa:bb:cc:dd:ee:ff' for PM CREATE
            suggestion for suboption   | -t pm -a create=wol,brodcast:10.0.0.255,bmac:aa:bb:cc:dd:ee:ff | did you mean 'BROADCAST'?
            flag with a value          | -t pm -a create=wol,reuse:yes,bmac:aa:bb:cc:dd:ee:ff         | suboption 'reuse:yes': REUSE is a flag and takes no value
            key without value          | -t pm -a create=wol,bmac                                     | suboption 'bmac' needs a value: BMAC:<mac>
            key with empty value       | -t pm -a create=wol,bmac:                                    | 'bmac:'
            conflicting suboptions     | -t pm -a create=wol,broadcast:10.0.0.255,if:lo,bmac:aa:bb:cc:dd:ee:ff | 'broadcast:10.0.0.255' and 'if:lo' exclude each other; valid: one of BROADCAST, IF
            requirement                | -t pm -a create=wol,port:7,bmac:aa:bb:cc:dd:ee:ff            | 'port:7' is only valid together with BROADCAST
            MAC too short              | -t pm -a create=wol,bmac:aa:bb:cc:dd:ee                      | bad MAC address 'aa:bb:cc:dd:ee'
            MAC not hex                | -t pm -a create=wol,bmac:aa:bb:cc:dd:ee:gg                   | bad MAC address 'aa:bb:cc:dd:ee:gg'
            MAC too long               | -t pm -a create=wol,bmac:aa:bb:cc:dd:ee:ff:00                | bad MAC address 'aa:bb:cc:dd:ee:ff:00'
            bad duration               | -t pm -a create=wol:5x,bmac:aa:bb:cc:dd:ee:ff                | bad duration '5x'
            bad count                  | -t pm -a create=wol,ping:0%1,bmac:aa:bb:cc:dd:ee:ff          | bad count '0'
            bad ping interval          | -t pm -a create=wol,ping:3%soon,bmac:aa:bb:cc:dd:ee:ff       | bad duration 'soon'
            ping with one value        | -t pm -a create=wol,ping:3,bmac:aa:bb:cc:dd:ee:ff            | suboption 'ping:3' has 1 value, expected PING:<n>%<s>|OFF
            bad TCP address            | -t pm -a create=wol,t:999.1.1.1,bmac:aa:bb:cc:dd:ee:ff       | bad host '999.1.1.1'
            bad target address         | -t pm -a create=wol 10.0.0.300                               | '10.0.0.300' is not a host name nor an IPv4 address
            bad broadcast              | -t pm -a create=wol,broadcast:10.0.0.256,bmac:aa:bb:cc:dd:ee:ff | bad IPv4 address '10.0.0.256'
            bad port                   | -t pm -a create=wol,broadcast:10.0.0.255,port:70000,bmac:aa:bb:cc:dd:ee:ff | bad port '70000'
            bad global timeout         | --timeout 10q -t pm -a create=wol,bmac:aa:bb:cc:dd:ee:ff     | --timeout: bad duration '10q'
            bad parallel               | --parallel 0 -t pm -a create=wol lab01                       | bad --parallel value '0'
            bad output                 | --output jsn -t pm -a create=wol lab01                       | bad --output 'jsn'; valid: text, json, stream; did you mean 'json'?
            terse and stream           | -X --output stream -t cli -a create=cmd:true lab01           | -X and --output stream exclude each other
            bad max output             | --max-output 8X -t cli -a create=cmd:true lab01              | --max-output: bad size '8X': expected a size from 1 KiB to 1 GiB, e.g. 8M, 512K, 1G
            max output too small       | --max-output 100 -t cli -a create=cmd:true lab01             | --max-output: size '100' out of range: expected a size from 1 KiB to 1 GiB
            max output too large       | --max-output 2G -t cli -a create=cmd:true lab01              | --max-output: size '2G' out of range: expected a size from 1 KiB to 1 GiB
            unknown option             | --dryrun -t pm -a create=wol lab01                           | unknown option '--dryrun'; did you mean '--dry-run'?
            option without value       | -t pm -a                                                     | option '-a' needs a value: ACTION[=SUBOPTIONS]
            missing type               | -a create=wol lab01                                          | missing -t TYPE; valid: BOOT, CLI, CONSOLE, GTERM, KVM, PM, SERIAL, SOL, VNC, XEN, XTERM
            missing action             | -t pm lab01                                                  | missing -a ACTION; valid for PM: CREATE, CANCEL, LIST
            unbalanced parenthesis     | -t pm -a create=wol lab01(-l                                 | lab01(-l
            unbalanced bracket         | -t pm -a create=wol lab[01-                                  | lab[01-
            empty nodeset range        | -t pm -a create=wol lab[]                                    | lab[]
            backwards nodeset range    | -t pm -a create=wol lab[05-01]                               | lab[05-01]
            empty user                 | -t pm -a create=wol @@lab01                                  | @@lab01
            empty host                 | -t pm -a create=wol root@                                    | root@
            bad target option          | -t pm -a create=wol lab01(-x)                                | unknown option '-x' in 'lab01(-x)'; valid there: -l USER, --timeout DURATION
            sshping interval zero      | -t pm -a create=wol,sshping:3%0,bmac:aa:bb:cc:dd:ee:ff,t:10.0.0.5 | SSHPING:3%0: the tries must be some time apart
            reconnect not yet          | -t pm -a create=wol,reconnect,bmac:aa:bb:cc:dd:ee:ff         | suboption 'reconnect' of PM CREATE is not in this version of ctys
            shell on several targets   | -t cli -a create lab01 lab02                                 | interactive shell on exactly one target, not 2 (lab01, lab02); use CMD:<command> to run on many
            bad jump host              | -J gw01,,gw02 -t cli -a create=cmd:true lab01                | bad jump host '' in -J gw01,,gw02
            bad IPv6 jump host         | -J [::1:]:22 -t cli -a create=cmd:true lab01                 | bad jump host '[::1:]:22' in -J [::1:]:22; expected [USER@]HOST[:PORT], an IPv6 address as [ADDR]:PORT
            IPv6 jump port unbracketed | -J ::1:2222:x -t cli -a create=cmd:true lab01                | bad jump host '::1:2222:x'
            IPMI with a WOL suboption  | -t pm -a create=ipmi,broadcast:10.0.0.255 lab01              | BROADCAST: is for Wake-on-LAN
            BOOT without IPMI          | -t pm -a create=wol,boot:pxe lab01                           | 'boot:pxe' is only valid together with IPMI
            bad boot device            | -t pm -a create=ipmi,boot:floppy lab01                       | floppy
            pause of a machine         | -t pm -a cancel=pause,self lab01                             | a physical machine cannot be paused
            cancel without a target    | -t pm -a cancel=ipmi                                         | no machine to take down
            reboot and reset           | -t pm -a cancel=ipmi,reboot,reset lab01                      | exclude each other
            force with a soft timeout  | -t pm -a cancel=ipmi,force,timeout:10s lab01                 | TIMEOUT bounds a soft off, which FORCE does not do
            wol without self           | -t pm -a cancel=wol lab01                                    | WOL arms the network card for a wake after the machine halts; without SELF it stays up
            init beyond 6              | -t pm -a cancel=init:7 lab01                                 | 'init:7'
            stack and force            | -t pm -a cancel=stack,force lab01                            | exclude each other
            kvm without a guest        | -t kvm -a cancel lab01                                       | which guest of 'lab01'? valid: l:<guest> or all, or a stack address such as lab01[web1]
            kvm force with pause       | -t kvm -a cancel=l:web1,pause,force lab01                    | FORCE destroys a guest that does not shut down in time, which PAUSE does not do
            kvm without a host         | -t kvm -a cancel=l:web1                                      | no host given: name the host the guests run on
            xen label and all          | -t xen -a cancel=l:web1,all lab01                            | exclude each other
            guest with control chars   | -t kvm -a create=l:a\u0001b lab01                            | control characters are not allowed
            sol on two machines        | -t sol -a create lab01 lab02                                 | a console attaches to one machine, not 2
            sol without a machine      | -t sol -a create                                             | no machine: give the one whose console to attach
            several gateways           | -t pm -a create=wol,bmac:aa:bb:cc:dd:ee:ff gw01 gw02         | several gateways (gw01, gw02, ...) for one machine
            gateway with IF            | -t pm -a create=wol,bmac:aa:bb:cc:dd:ee:ff,if:lo gw01        | woken from gateway gw01 is not in this version of ctys
            serial line one terminal   | -t pm -a create=console:serial pm01 pm02                     | CONSOLE:SERIAL attaches this one terminal to one machine, not 2 (pm01, pm02)
            no such console            | -t pm -a create=console:foo pm01                             | 'foo' is not one of CLI|XTERM|GTERM|VNC|SOL|SERIAL|NONE
            one terminal               | -t pm -a create=console:cli pm01 pm02                        | CONSOLE:CLI attaches this one terminal to one machine, not 2 (pm01, pm02)
            guest console one terminal | -t kvm -a create=l:web1,console:serial pm01 pm02             | CONSOLE:SERIAL attaches this one terminal to one machine, not 2 (pm01[web1], pm02[web1])
            guest vnc on this host     | -t kvm -a create=l:web1,console:vnc localhost                | 'localhost[web1]': VNC is reached over SSH
            guest sol                  | -t kvm -a create=l:web1,console:sol pm01                     | 'sol' is not one of CLI|XTERM|GTERM|SERIAL|VNC|NONE
            force without console      | -t kvm -a create=l:web1,force pm01                           | 'force' is only valid together with CONSOLE
            force not serial           | -t kvm -a create=l:web1,force,console:cli pm01               | FORCE takes over a hypervisor console another client holds
            xl has no take-over        | -t xen -a create=l:web1,force,console:serial pm01            | xl console has no take-over
            console with a file        | -t kvm -a create=f:/etc/web1.xml,console:serial pm01         | the guest's name is known only once it is created
            stack address              | -t pm -a create=wol pm01[vm1]                                | 'pm01[vm1]' is a stack address
            no machine named           | -t pm -a create=wol                                          | no machine to wake
            same suboption twice       | -t pm -a create=wol,bmac:aa:bb:cc:dd:ee:ff,bmac:aa:bb:cc:dd:ee:01 | suboption BMAC given twice
            -T with create             | -T all -a create=wol lab01                                   | -T widens only LIST and ENUMERATE
            IPv6 broadcast             | -t pm -a create=wol,broadcast:[ff02::1],bmac:aa:bb:cc:dd:ee:ff | '[ff02::1]' is an IPv6 address; magic packets are sent over IPv4 only
            IPv6 broadcast unbracketed | -t pm -a create=wol,broadcast:ff02::1,bmac:aa:bb:cc:dd:ee:ff | 'ff02::1' is an IPv6 address; magic packets are sent over IPv4 only
            bad IPv6 address           | -t pm -a create=wol,t:[1::2::3],bmac:aa:bb:cc:dd:ee:ff       | suboption 't:[1::2::3]': bad host
            bad IPv6 target            | -t cli -a create=cmd:true root@[::g]                         | '[::g]' is not an IPv6 address
            command timeout zero here  | -t cli -a create=cmd:true,timeout:0                         | suboption 'timeout:0': bad timeout '0': a timeout must be above zero
            command timeout zero there | -t cli -a create=cmd:true,timeout:0 lab01                   | suboption 'timeout:0': bad timeout '0': a timeout must be above zero
            soft-off timeout zero      | -t pm -a cancel=ipmi,timeout:0ms lab01                       | a timeout must be above zero
            wait timeout too long      | -t pm -a create=wol,timeout:999999999h,bmac:aa:bb:cc:dd:ee:ff | bad duration '999999999h': at most 8760h (365 days)
            global timeout too long    | --timeout 8761h -t cli -a create=cmd:true                    | --timeout: bad duration '8761h': at most 8760h (365 days)
            too many tries             | -t pm -a create=wol,ping:100001%1,bmac:aa:bb:cc:dd:ee:ff     | bad count '100001': at most 100000
            tries too long altogether  | -t pm -a create=wol,ping:100000%1h,bmac:aa:bb:cc:dd:ee:ff    | 'ping:100000%1h': 100000 tries 1h apart take longer than 8760h (365 days)
            """)
    void usageError(String what, String args, String expected) {
        CliRun r = CliRun.run(home, args.trim().split(" +"));
        assertThat(r.status()).as(what + ": " + r.err()).isEqualTo(2);
        assertThat(r.firstErrLine()).startsWith("ctys: ").contains(expected.trim());
        assertThat(r.err().lines().toList()).as("one line, the synopsis, the hint")
                .hasSize(3)
                .element(1).asString().startsWith("Usage: ctys [options] -t TYPE -a ACTION[=SUBOPTIONS]");
        assertThat(r.err()).endsWith("Try 'ctys --help' for more information.\n");
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aBadTokenIsQuotedWithItsControlCharactersEscaped() {
        CliRun r = CliRun.run(home, "-t", "pm", "-a", "create=wol", "lab\u001b]0;TITLE\u0007\n01");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.firstErrLine()).startsWith("ctys: bad target 'lab\\e]0;TITLE\\a\\n01'");
        assertThat(r.err().lines()).hasSize(3);
        assertThat(r.err()).doesNotContain("\u001b", "\u0007");
    }

    @Test
    void ipv6AddressesAreAcceptedInTargetsAndValues() {
        CliRun r = CliRun.run(home, "-n", "-t", "pm", "-a", "create=wol,bmac:aa:bb:cc:dd:ee:ff,t:[2001:db8::5],broadcast:127.0.0.1");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("wait until 2001:db8::5 answers");
        r = CliRun.run(home, "-n", "-t", "pm", "-a", "create=wol,bmac:aa:bb:cc:dd:ee:ff,t:fe80::5%lo,broadcast:127.0.0.1");
        assertThat(r.out()).contains("wait until fe80::5%lo answers");
        r = CliRun.run(home, "-n", "-t", "cli", "-a", "create=cmd:uptime", "root@[2001:db8::5]", "fe80::1%lo", "[2001:db8::7][vm1]");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("ssh root@2001:db8::5 uptime", "ssh fe80::1%lo uptime");
    }

    @Test
    void aTargetsOwnTimeoutOfZeroIsRefused() {
        CliRun r = CliRun.run(home, "-t", "pm", "-a", "create=wol", "lab01(--timeout 0)");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.firstErrLine()).isEqualTo("ctys: in 'lab01(--timeout 0)': --timeout 0: expected a duration above zero");
    }

    @Test
    void aShellsDryRunSaysSshMinusTAndDoesNothing() {
        CliRun r = CliRun.run(home, "-n", "-t", "cli", "-a", "create", "root@lab01");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("ssh -t root@lab01").doesNotContain("uptime");
        assertThat(r.err()).isEmpty();
    }
}
