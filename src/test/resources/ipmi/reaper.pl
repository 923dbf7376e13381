#!/usr/bin/perl
# Runs ipmi_sim (the arguments) as a child and reaps what its chassis_control program leaves
# running: that program starts a QEMU in the background and exits, and the QEMU, orphaned, comes
# to the nearest "child subreaper" ancestor. This process is one (prctl PR_SET_CHILD_SUBREAPER), so
# such a QEMU is waited for here rather than left to PID 1, which here reaps nothing.
#
# SIGTERM/SIGINT are passed on to ipmi_sim. Once ipmi_sim has ended, every child still here is sent
# SIGTERM, SIGKILL 5 s later, and waited for; then this exits as ipmi_sim did.
use strict;
use warnings;
use POSIX ();

my ($SYS_prctl, $PR_SET_CHILD_SUBREAPER) = (157, 36);    # x86_64
syscall($SYS_prctl, $PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    or die "reaper: prctl(PR_SET_CHILD_SUBREAPER): $!\n";

my $sim = fork() // die "reaper: fork: $!\n";
if ($sim == 0) {
    exec { $ARGV[0] } @ARGV or die "reaper: exec $ARGV[0]: $!\n";
}
$SIG{TERM} = $SIG{INT} = sub { kill 'TERM', $sim if $sim; };
$SIG{ALRM} = sub { kill 'KILL', children(); };

my $status;
while (1) {
    my $pid = waitpid(-1, 0);
    if ($pid == -1) {
        next if $!{EINTR};
        last;    # ECHILD: nothing left
    }
    if ($pid == $sim) {
        $status = $?;
        $sim = 0;
        my @left = children();
        if (@left) {
            kill 'TERM', @left;
            alarm 5;
        }
    }
}
exit(!defined $status ? 1 : ($status & 127) ? 128 + ($status & 127) : $status >> 8);

# The processes whose parent is this one, from /proc/*/stat ("pid (comm) state ppid ...").
sub children {
    my @pids;
    for my $stat (glob '/proc/[0-9]*/stat') {
        open my $fh, '<', $stat or next;
        my $line = <$fh> // next;
        push @pids, $1 if $line =~ /^(\d+) \(.*\) \S+ (\d+) / && $2 == $$;
    }
    return @pids;
}
