package org.ctys.plugins.boot;

/** The text of {@code ctys -t boot --help} and ctys-boot(1) after the tables. */
final class BootDetails {
    private BootDetails() {}

    static final String TEXT = """
            The job:
            ctys -t boot -a create=SCRIPT:fix.sh lab07 boots lab07 once into the recovery system and has it run
            fix.sh. Before anything is sent, ctys checks the whole command: the script must be a readable,
            non-empty file of at most 1 MiB (else exit 2), every machine needs a bmc: and a mac: (or a line in
            /etc/ethers), and a boot server must be named (else exit 3). Then, for each machine at the same
            time: the job is registered with the boot server (ctys-bootd --config C job add --machine lab07
            --mac M --via pxe --limit 10m, the script on its standard input), the boot device is set for the
            next boot only through the BMC (IPMI boot flags, not persistent), the machine is powered on, or
            power cycled when it is on, and the job is followed (ctys-bootd job await) until the machine has
            posted its result. The report gives the script's exit status, where the machine fetched it from
            and after how long; the script's output is printed as a command's output is (lab07: line), and is
            kept on the server too. Last, the boot flags are read back: the next boot must go to the disk
            again (boot flags no longer valid, or naming no device or the disk).

            The boot server:
            SERVER:[<user>@]<host>[:<port>], else the inventory's top-level boot-server: {ssh:
            [USER@]HOST[:PORT], config: PATH} (see ctys-inventory(5)); config is the path of ctys-bootd's
            configuration on that host (default /etc/ctys/bootd.yaml; SERVER: keeps the inventory's). Its job
            commands run there over SSH as any SSH step does (-l USER, -J, ~/.ssh/config, the agent,
            known_hosts); plain localhost runs them on this host without SSH.

            Boot paths:
            VIA:PXE (the default): the machine's firmware chains iPXE from the boot server, which hands the
            recovery kernel and this job's ticket to this machine's MAC only. VIA:CDROM: the machine's
            virtual CD holds the per-machine image the boot server writes for the job.

            Exit status:
            A script that exits 0 is the machine's success; any other exit status fails it (script exit 3,
            exit 1). A machine that never fetches its script fails when the job expires (TIMEOUT), with what
            the server saw of the job; so does a job cancelled meanwhile. Boot flags that still name another
            device after the job fail the machine too, saying so. A server that refuses its configuration
            (exit 3 of ctys-bootd) is a configuration failure.

            Watchdog:
            WATCHDOG arms the BMC's watchdog after the job is registered and before the power on: SMS/OS, a
            hard reset after the job's TIMEOUT (at most 6553.5s, the timer's 16 bits of 100 ms; a longer
            TIMEOUT with WATCHDOG is a usage error). The job's end stops it, whatever the end: a result
            (with KEEP too: the machine stays in the recovery system), a failure, a cancel. When the job
            expires, the watchdog is due: it is let reset the machine, which then boots from its disk, and the
            report says "the BMC's watchdog reset lab07 after 10m: ...". If ctys itself ends before (killed,
            interrupted), the watchdog still resets the machine at the deadline. A BMC without a watchdog
            fails the machine before the power on ("could not be armed").

            Listing and cancelling:
            -a list shows every job of the server (or of the machines named): machine, boot path, state
            (pending, fetched, done, expired, cancelled), when it was created and expires, where the script
            was fetched from, its exit status. --output json and -X give the same fields. -a cancel=JOB:<id>
            revokes one job, -a cancel=ALL lab07 every pending job of lab07; the server refuses a job that was
            fetched already.

            Dry run:
            -n prints every step as it would be typed (ssh ... ctys-bootd ... < fix.sh, ipmitool ... chassis
            bootdev pxe, chassis power on or cycle, ctys-bootd job await, chassis bootparam get 5), the job's
            id shown as <job>, and sends nothing.

            Watching the boot:
            CONSOLE:SOL puts the machine's Serial-over-LAN console on this terminal before anything else is
            done (one machine only, else exit 2): the job is registered and the machine powered on once the
            console is open, so the whole boot shows, from the firmware on. The job's progress is held back
            while the console is on the terminal; the console is left when the job has ended ([ctys: left the
            console of lab07: its boot job has ended]) and the job's report follows, its exit status the
            command's. ~. leaves the console earlier: the job goes on, its progress shown again. A console
            that cannot be opened (Serial-over-LAN in use by another session, a BMC that does not answer)
            fails the command before the job is registered; one lost on the way leaves the job going on.
            --log FILE records the console as ctys -t sol does.
            """;
}
