package org.ctys.transport.ipmi;

/**
 * The sliding window on the session sequence numbers a BMC puts on its packets (IPMI v2.0,
 * 6.12.13 and 6.12.14): a session keeps one for authenticated and one for unauthenticated
 * packets, as the BMC numbers them separately. A number is taken once: one up to {@link #SIZE}
 * above the highest taken so far moves the window on; one of the {@link #SIZE} - 1 below it is
 * taken if it has not been yet (a packet overtaken by a later one); anything else (0, a
 * duplicate, an older one, one too far ahead) is refused.
 *
 * <p>This is what makes a replayed reply useless: ctys's 6-bit request sequence repeats every 64
 * requests (32 s of polling at 0.5 s), and an answered request moves the window by at least one,
 * so the earlier reply with the same request sequence is 63 or more behind, well outside the
 * window. Update it only with packets that authenticated: a forged number must not move it.
 */
final class SequenceWindow {
    static final int SIZE = 32;

    /** The highest number taken; 0 before the first (BMCs start at 1, and 0 is never used). */
    private int highest;
    /** Bit i: highest - 1 - i has been taken; at first all, so that nothing below 1 is. */
    private int below = -1;

    /** Takes {@code n} if the window allows it, and says whether it did. */
    boolean accept(int n) {
        if (n == 0) return false;
        // modulo 2^32: the BMC goes from FFFFFFFFh to 1, so a step over the top is 2
        int ahead = n - highest;
        if (ahead > 0 && ahead <= SIZE) {
            below = ahead == SIZE ? 0 : below << ahead;
            below |= 1 << (ahead - 1);
            highest = n;
            return true;
        }
        int behind = -ahead;
        if (behind > 0 && behind < SIZE) {
            int bit = 1 << (behind - 1);
            if ((below & bit) != 0) return false;
            below |= bit;
            return true;
        }
        return false;
    }

    int highest() { return highest; }
}
