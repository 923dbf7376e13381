package org.ctys.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The generic options of ctys (SPEC.md §1) as picocli reads them. Values are checked in {@link Request}. */
@Command(name = "ctys", sortOptions = false, usageHelpAutoWidth = false,
        description = "Session manager: wake, power, boot and reach machines and their guests.")
final class CtysCommand {
    static final String SYNOPSIS = "ctys [options] -t TYPE -a ACTION[=SUBOPTIONS] [--] [TARGET ...]";

    @Option(names = "-t", paramLabel = "TYPE", description = "the plugin: PM, ... (case-insensitive)")
    String type;

    @Option(names = "-T", paramLabel = "TYPE,...|ALL", description = "widen LIST and ENUMERATE to several types")
    String types;

    @Option(names = "-a", paramLabel = "ACTION[=SUBOPTIONS]", description = "the action and its comma-separated suboptions")
    String action;

    @Option(names = "-l", paramLabel = "USER", description = "remote user for targets without USER@")
    String user;

    @Option(names = "-b", paramLabel = "MODE", split = ",",
            description = "how targets are worked on: sync|async, seq|par, and a number for how many at once")
    List<String> batch = new ArrayList<>();

    @Option(names = "-d", paramLabel = "LEVEL", description = "debug level: 0 (default) .. 3; stack traces from 1")
    Integer debug;

    @Option(names = {"-n", "--dry-run"}, description = "print the plan, change nothing")
    boolean dryRun;

    @Option(names = "-z", paramLabel = "PTY|NOPTY", description = "whether remote sessions get a pseudo terminal")
    String pty;

    @Option(names = "-Y", description = "forward the SSH agent")
    boolean agentForwarding;

    @Option(names = "-X", description = "terse output: one ';'-separated record per target")
    boolean terse;

    @Option(names = "--output", paramLabel = "text|json", description = "report format (default text)")
    String output;

    @Option(names = "--inventory", paramLabel = "FILE", description = "inventory file (default: $CTYS_INVENTORY, "
            + "~/.config/ctys/inventory.yaml, /etc/ctys/inventory.yaml)")
    Path inventory;

    @Option(names = "--parallel", paramLabel = "N", description = "at most N targets at once (default 64)")
    String parallel;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "bound of the whole command: 30s, 2m, 1h")
    String timeout;

    @Option(names = {"-v", "--verbose"}, description = "more detail on stderr; stack traces on errors")
    boolean[] verbose = new boolean[0];

    @Option(names = {"-q", "--quiet"}, description = "no progress on stderr")
    boolean quiet;

    @Option(names = "--version", description = "print the version and exit")
    boolean version;

    @Option(names = {"-h", "--help"}, description = "this help; with -t TYPE the actions and suboptions of that type")
    boolean help;

    @Parameters(paramLabel = "TARGET", description = "[USER@]HOST['('OPTIONS')'], @GROUP, name[01-16,20], pm[vm1][vm2]")
    List<String> targets = new ArrayList<>();
}
