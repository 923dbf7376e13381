package org.ctys.spi;

/**
 * Reads the state a command printed, for {@link WaitForState}: a plugin's knowledge of what a
 * tool's output means, handed to the engine that runs the command.
 */
@FunctionalInterface
public interface StateReader {

    /** What one try saw. */
    Reading read(Output output);

    /**
     * @param met     the wanted state holds
     * @param seen    the state seen, in the report's words ("running")
     * @param failure non-null: asking again cannot help (the tool is missing, the name is wrong); the target fails with it
     */
    record Reading(boolean met, String seen, String failure) {
        public static Reading met(String seen) { return new Reading(true, seen, null); }

        public static Reading notYet(String seen) { return new Reading(false, seen, null); }

        public static Reading failed(String why) { return new Reading(false, null, why); }
    }
}
