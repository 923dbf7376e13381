#!/usr/bin/perl
# ipmi_sim's chassis_control program of a VmBmc: the chassis is a QEMU (TCG) this program starts.
# ipmi_sim runs it through popen() and reads its stdout to the end, so it answers at once and the
# QEMU it starts holds neither its stdout nor its lock; the QEMU is reaped by reaper.pl (ipmi_sim's
# parent), not by this short-lived program.
#
#   vm-chassis <mc> get <parm>...          prints "<parm>:<value>": power 0|1 (QEMU alive), boot <device>
#   vm-chassis <mc> set <parm> <value>...  power 1 (start QEMU), power 0 (kill it, wait until it has
#                                          exited), reset 1 (QMP system_reset), shutdown 1 (QMP
#                                          system_powerdown), boot none|pxe|default|cdrom|bios,
#                                          identify "<seconds> <force>"
#
# The settings come from vm.conf (key=value lines written by VmBmc). The next boot's device is kept
# in "boot"; a power on that uses it (-boot once=n for pxe, once=d for cdrom, once=c for default)
# sets it back to "none" (so does one with bios, which QEMU has no -boot for): the override holds
# for one boot, as IPMI's boot flags do. Every set is
# appended to actions.log ("power 1", "boot pxe", "reset", "shutdown", "identify 5 0"), every
# QEMU start to starts.log ("<pid>\t<once or ->\t<serial.log offset>\t<argv, tab-separated>").
use strict;
use warnings;
use Fcntl qw(:flock O_WRONLY O_APPEND O_CREAT);
use IO::Socket::UNIX;
use Time::HiRes qw(sleep time);

my $dir = '@DIR@';
my %once_for = (pxe => 'n', cdrom => 'd', default => 'c');

sub fail { print "@_\n"; exit 1; }

sub slurp {
    my ($name) = @_;
    open my $fh, '<', "$dir/$name" or return undef;
    local $/;
    my $text = <$fh>;
    return $text;
}

sub spit {
    my ($name, $text) = @_;
    open my $fh, '>', "$dir/$name.new" or fail "cannot write $name: $!";
    print $fh $text;
    close $fh or fail "cannot write $name: $!";
    rename "$dir/$name.new", "$dir/$name" or fail "cannot write $name: $!";
}

sub append {
    my ($name, $line) = @_;
    open my $fh, '>>', "$dir/$name" or fail "cannot append to $name: $!";
    print $fh "$line\n";
    close $fh or fail "cannot append to $name: $!";
}

my %conf;
for my $line (split /\n/, slurp('vm.conf') // fail "no vm.conf in $dir") {
    $conf{$1} = $2 if $line =~ /^(\w+)=(.*)$/;
}

open my $lock, '>>', "$dir/chassis.lock" or fail "cannot open chassis.lock: $!";
flock $lock, LOCK_EX or fail "cannot lock chassis.lock: $!";

# The running QEMU's pid, or 0. A zombie (exited, not yet reaped) counts as gone; a pid reused by
# another process does not count, since QEMU's command line names this directory.
sub qemu_pid {
    my $pid = slurp('qemu.pid') // return 0;
    chomp $pid;
    return 0 unless $pid =~ /^\d+$/;
    return 0 unless gone_or_zombie($pid) == 0;
    open my $fh, '<', "/proc/$pid/cmdline" or return 0;
    local $/;
    my $cmdline = <$fh> // '';
    return index($cmdline, "$dir/qmp.sock") >= 0 ? $pid : 0;
}

sub gone_or_zombie {
    my ($pid) = @_;
    open my $fh, '<', "/proc/$pid/stat" or return 1;
    my $stat = <$fh> // return 1;
    return $stat =~ /\) ([ZX]) / ? 1 : 0;
}

sub wait_gone {
    my ($pid, $seconds) = @_;
    my $until = time + $seconds;
    while (time < $until) {
        return 1 if gone_or_zombie($pid);
        sleep 0.02;
    }
    return gone_or_zombie($pid);
}

sub power_on {
    return if qemu_pid();
    my $device = slurp('boot') // 'none';
    chomp $device;
    my $once = $once_for{$device};
    my @cmd = ($conf{qemu}, '-name', 'vmbmc', '-accel', 'tcg', '-m', $conf{memory},
        '-nographic', '-monitor', 'none',
        '-nic', "user,model=virtio-net-pci,mac=$conf{mac},bootfile=$conf{bootfile}");
    push @cmd, '-cdrom', $conf{cdrom} if $conf{cdrom} ne '';
    push @cmd, '-drive', "file=$conf{disk},format=raw,if=ide,index=0,snapshot=on" if $conf{disk} ne '';
    # without an override the machine boots from its disk only, as one whose boot order says so
    push @cmd, '-boot', ($once ? "once=$once," : '') . 'order=c,strict=on';
    push @cmd, '-chardev', "socket,id=serial0,host=127.0.0.1,port=$conf{serial_port},server=on,wait=on,"
        . "logfile=$dir/serial.log,logappend=on", '-serial', 'chardev:serial0';
    push @cmd, '-qmp', "unix:$dir/qmp.sock,server=on,wait=off";
    unlink "$dir/qmp.sock";
    my $offset = -s "$dir/serial.log" // 0;
    my $pid = fork() // fail "fork: $!";
    if ($pid == 0) {
        open STDIN, '<', '/dev/null';
        open STDOUT, '>>', "$dir/qemu.log";
        open STDERR, '>&', \*STDOUT;
        # a process group of its own: no signal meant for ipmi_sim's group reaches it
        setpgrp(0, 0);
        exec { $cmd[0] } @cmd or die "exec $cmd[0]: $!\n";
    }
    spit('qemu.pid', "$pid\n");
    append('starts.log', join("\t", $pid, $once // '-', $offset, @cmd));
    spit('boot', "none\n") if $device ne 'none';
}

sub power_off {
    my $pid = qemu_pid() or return;
    kill 'TERM', $pid;
    unless (wait_gone($pid, 10)) {
        kill 'KILL', $pid;
        wait_gone($pid, 5) or fail "QEMU $pid did not exit";
    }
    unlink "$dir/qemu.pid";
}

# One QMP command; fails when no QEMU runs or it does not answer within 10 s.
sub qmp {
    my ($command) = @_;
    qemu_pid() or fail "power is off: no QEMU for $command";
    local $SIG{ALRM} = sub { fail "QMP $command: no answer within 10 s" };
    alarm 10;
    my $socket = IO::Socket::UNIX->new(Peer => "$dir/qmp.sock", Type => SOCK_STREAM)
        or fail "QMP $command: cannot connect to $dir/qmp.sock: $!";
    for my $request ('{"execute":"qmp_capabilities"}', qq({"execute":"$command"})) {
        print $socket "$request\n";
        while (1) {
            my $reply = <$socket> // fail "QMP $command: QEMU closed the connection";
            last if $reply =~ /^\{"return"/;
            fail "QMP $command: $reply" if $reply =~ /^\{"error"/;
        }
    }
    alarm 0;
    close $socket;
}

(@ARGV >= 2) or fail "usage: $0 <mc> get|set <parm> [<value>]...";
my (undef, $op, @args) = @ARGV;
if ($op eq 'get') {
    for my $parm (@args) {
        if ($parm eq 'power') {
            print 'power:', (qemu_pid() ? 1 : 0), "\n";
        } elsif ($parm eq 'boot') {
            my $device = slurp('boot') // "none\n";
            print "boot:$device";
        } else {
            fail "cannot get $parm";
        }
    }
} elsif ($op eq 'set') {
    while (@args) {
        @args >= 2 or fail "no value for $args[0]";
        my ($parm, $value) = splice @args, 0, 2;
        if ($parm eq 'power') {
            $value =~ /^[01]$/ or fail "invalid power value $value";
            append('actions.log', "power $value");
            $value ? power_on() : power_off();
        } elsif ($parm eq 'reset') {
            append('actions.log', 'reset');
            qmp('system_reset');
        } elsif ($parm eq 'shutdown') {
            append('actions.log', 'shutdown');
            qmp('system_powerdown');
        } elsif ($parm eq 'boot') {
            $value =~ /^(none|pxe|default|cdrom|bios)$/ or fail "invalid boot device $value";
            append('actions.log', "boot $value");
            spit('boot', "$value\n");
        } elsif ($parm eq 'identify') {
            append('actions.log', "identify $value");
        } else {
            fail "cannot set $parm";
        }
    }
} else {
    fail "unknown operation $op";
}
