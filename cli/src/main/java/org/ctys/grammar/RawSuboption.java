package org.ctys.grammar;

import java.util.List;

/**
 * One suboption of {@code -a ACTION=SUBOPTIONS} after unescaping, before any plugin has looked at it.
 *
 * @param key    the key with escapes resolved and its case kept; plugins match it case-insensitively
 * @param values empty for a flag ({@code REBOOT}); one entry per {@code %}-joined piece otherwise
 * @param token  the suboption exactly as the user typed it, so error messages can quote it
 */
public record RawSuboption(String key, List<String> values, String token) {
    public RawSuboption {
        values = List.copyOf(values);
    }

    /** False for a flag such as {@code REBOOT}, true for {@code KEY:VALUE}. */
    public boolean hasValue() {
        return !values.isEmpty();
    }
}
