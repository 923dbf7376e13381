package org.ctys.stack;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.ctys.spi.Output;
import org.ctys.spi.StateReader;

/** Reads a guest's state through its host's dialect, for the waits of the stack. */
final class States {
    /** The shell's status for a command it cannot find. */
    static final int NOT_FOUND = 127;

    private States() {}

    /** Met when the guest is in one of {@code wanted}; a guest the hypervisor does not know fails at once unless that is wanted. */
    static StateReader reader(VmHost host, String guest, Set<GuestState> wanted) {
        return out -> {
            String missing = missingProgram(host, out);
            if (missing != null) return StateReader.Reading.failed(missing);
            // a guest cut off the end of a host-wide listing would read as absent, that is as off
            if (out.truncated()) {
                return StateReader.Reading.failed(cutShort(host) + " for a state; cannot tell the state of '" + guest + "'");
            }
            GuestState s;
            try {
                s = host.dialect().parseState(guest, text(out.stdout()), text(out.stderr()), out.exitStatus() == null ? -1 : out.exitStatus());
            } catch (IllegalArgumentException e) {
                return StateReader.Reading.failed(e.getMessage());
            }
            if (wanted.contains(s)) return StateReader.Reading.met(s.text());
            if (s == GuestState.ABSENT) {
                return StateReader.Reading.failed("no guest '" + guest + "' on " + host.label() + " (" + host.dialect().program()
                        + " does not know it)");
            }
            return StateReader.Reading.notYet(s.text());
        };
    }

    /** "virsh printed more on lab01 than ctys reads": an answer cut at the read cap, which ctys never reads as whole. */
    static String cutShort(VmHost host) {
        return host.dialect().program() + " printed more on " + host.label() + " than ctys reads";
    }

    /** "virsh is not installed on lab01", when the shell could not find the program; else null. */
    static String missingProgram(VmHost host, Output out) {
        if (out.exitStatus() == null || out.exitStatus() != NOT_FOUND) return null;
        return host.dialect().program() + " is not installed on " + host.label() + " (the shell there could not find it)";
    }

    static String text(byte[] b) { return new String(b, StandardCharsets.UTF_8); }
}
