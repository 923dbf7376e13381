package org.ctys.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.ctys.grammar.Suggest;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Usage errors as the user sees them: one line naming the bad token, the synopsis, where to look. */
final class Usage {

    private Usage() {}

    static void print(PrintStream err, String message) {
        err.println("ctys: " + message);
        err.println("Usage: " + CtysCommand.SYNOPSIS);
        err.println("Try 'ctys --help' for more information.");
    }

    /** Picocli's complaint, reworded to name the token and what would be valid. */
    static String describe(CommandLine.ParameterException e) {
        CommandLine cl = e.getCommandLine();
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String token = u.getUnmatched().get(0);
            List<String> names = new ArrayList<>();
            for (OptionSpec o : cl.getCommandSpec().options()) names.addAll(List.of(o.names()));
            return "unknown option '" + token + "'" + Suggest.didYouMean(token, names);
        }
        if (e instanceof CommandLine.MissingParameterException m && e.getArgSpec() instanceof OptionSpec o) {
            return "option '" + o.longestName() + "' needs a value: " + o.paramLabel();
        }
        if (e instanceof CommandLine.OverwrittenOptionException && e.getArgSpec() instanceof OptionSpec o) {
            return "option '" + o.longestName() + "' given twice";
        }
        String msg = e.getMessage();
        return msg == null ? "bad command line" : Character.toLowerCase(msg.charAt(0)) + msg.substring(1);
    }
}
