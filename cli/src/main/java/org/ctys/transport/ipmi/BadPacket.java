package org.ctys.transport.ipmi;

/**
 * A received packet the RMCP+ codec does not accept: malformed, damaged, not authentic, replayed.
 * It is dropped, never reported as the BMC's answer; the reason is counted by the session. No stack
 * trace: a flood of junk must not cost more than reading it.
 */
final class BadPacket extends Exception {
    private static final long serialVersionUID = 1L;

    BadPacket(String reason) {
        super(reason, null, false, false);
    }

    /** What was wrong, in a few words ("integrity pad", "data checksum"). */
    String reason() { return getMessage(); }
}
