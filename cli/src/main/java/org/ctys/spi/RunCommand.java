package org.ctys.spi;

import java.time.Duration;

/** Run a command on a machine over SSH and keep its output, error output and exit status. */
public record RunCommand(String target, Remote remote, String command, Duration timeout) implements Step {

    @Override
    public String describe() { return remote.describe() + " " + quote(command); }

    /** The command as a shell would need it quoted, for the dry run. */
    static String quote(String s) {
        return s.matches("[A-Za-z0-9_./=:,@%+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
