package org.ctys.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Options a target may carry in parentheses, {@code lab01'(-l root --timeout 30s)'}; they override the generic ones. */
@Command(name = "(target options)")
final class TargetOptions {
    @Option(names = "-l", paramLabel = "USER", description = "remote user for this target")
    String user;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "bound for this target")
    String timeout;
}
