package org.ctys.spi;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One action of a plugin, as data.
 *
 * @param name        canonical name, upper case (CREATE, CANCEL, LIST, ...)
 * @param description one line for help
 * @param suboptions  the suboptions it takes
 * @param exclusive   groups of suboptions of which at most one may be given
 * @param requires    a suboption that is only valid together with one of the given others
 * @param targets     what the targets after the action are, for help
 */
public record ActionSpec(String name, String description, List<SuboptionSpec> suboptions,
                         List<Set<String>> exclusive, Map<String, Set<String>> requires, String targets) {

    public ActionSpec {
        suboptions = List.copyOf(suboptions);
        exclusive = List.copyOf(exclusive);
        requires = Map.copyOf(requires);
    }

    /** A loop, not a stream's findFirst (see {@link Plugin#action}). */
    public Optional<SuboptionSpec> suboption(String key) {
        for (SuboptionSpec s : suboptions) if (s.matches(key)) return Optional.of(s);
        return Optional.empty();
    }

    public boolean matches(String action) { return name.equals(action.toUpperCase(Locale.ROOT)); }

    /** {@code -a create=[WOL[:<delay>]],...} as help shows it. */
    public String synopsis() {
        StringBuilder b = new StringBuilder(name.toLowerCase(Locale.ROOT));
        if (!suboptions.isEmpty()) {
            b.append('=');
            for (int i = 0; i < suboptions.size(); i++) {
                if (i > 0) b.append(',');
                b.append('[').append(suboptions.get(i).synopsis()).append(']');
            }
        }
        return b.toString();
    }
}
