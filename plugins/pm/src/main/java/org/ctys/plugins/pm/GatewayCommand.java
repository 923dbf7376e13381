package org.ctys.plugins.pm;

import java.util.List;
import java.util.stream.Collectors;
import org.ctys.grammar.Mac;

/**
 * The command that sends magic packets from a gateway. It needs only what a stock Linux host has:
 * perl with its core Socket module (Debian's perl-base is essential; every distribution ships
 * perl) — bash's /dev/udp cannot send broadcasts, and wakeonlan or etherwake are seldom installed.
 */
final class GatewayCommand {
    private static final String SCRIPT = "use Socket;"
            + "socket(S,PF_INET,SOCK_DGRAM,getprotobyname(\"udp\")) or die \"socket: $!\\n\";"
            + "setsockopt(S,SOL_SOCKET,SO_BROADCAST,1) or die \"setsockopt: $!\\n\";"
            + "for (@ARGV) { my ($m,$a,$p) = split m{/};"
            + " my $h = $m; $h =~ s/://g;"
            + " my $pkt = (chr(255) x 6) . (pack(\"H12\", $h) x 16);"
            + " send(S, $pkt, 0, pack_sockaddr_in($p, inet_aton($a))) or die \"send to $a:$p: $!\\n\" }";

    private GatewayCommand() {}

    /** {@code perl -e '…' MAC/ADDRESS/PORT …}: one packet per argument. */
    static String perl(List<Mac> macs, String destination, int port) {
        String args = macs.stream().map(m -> m + "/" + destination + "/" + port).collect(Collectors.joining(" "));
        return "perl -e '" + SCRIPT + "' " + args;
    }
}
