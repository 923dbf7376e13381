package org.ctys.stack;

import org.ctys.spi.ShellWords;

/** The last word of a hypervisor command: a guest's name or a file, never read as an option. */
final class Operand {
    private Operand() {}

    /**
     * The word quoted for the shell, after {@code --} when it starts with a dash: virsh and xl
     * (getopt) both end their options there, and a guest named {@code -x} is a guest, not an option.
     * Other words go without it, so that a dry run reads as a person would type it.
     */
    static String of(String word) {
        String quoted = ShellWords.quote(word);
        return word.startsWith("-") ? "-- " + quoted : quoted;
    }
}
