package org.ctys.spi;

import java.util.List;
import java.util.Locale;

/**
 * One suboption of an action, as data: validation and {@code --help} both read it.
 *
 * @param name        canonical name, upper case (e.g. {@code PING})
 * @param aliases     short forms of the original ctys (e.g. {@code T} for {@code TCP})
 * @param values      the kinds of the {@code %}-joined values, in order; empty for a flag
 * @param optional    whether the value may be left out ({@code WOL} or {@code WOL:5s})
 * @param choices     the valid words for {@link ValueKind#CHOICE} values
 * @param keywords    words accepted instead of the values (e.g. {@code OFF} for {@code PING:OFF})
 * @param metavar     how the value is written in help, e.g. {@code <n>%<s>}
 * @param description one line for help and the man page
 * @param unavailable null when usable; otherwise why this build cannot do it (refused as a usage error)
 */
public record SuboptionSpec(String name, List<String> aliases, List<ValueKind> values, boolean optional,
                            List<String> choices, List<String> keywords, String metavar, String description,
                            String unavailable) {

    public SuboptionSpec {
        aliases = List.copyOf(aliases);
        values = List.copyOf(values);
        choices = List.copyOf(choices);
        keywords = List.copyOf(keywords);
    }

    public static Builder flag(String name, String description) {
        return new Builder(name, description);
    }

    public static Builder of(String name, String metavar, String description, ValueKind... kinds) {
        Builder b = new Builder(name, description);
        b.values = List.of(kinds);
        b.metavar = metavar;
        return b;
    }

    public boolean isFlag() { return values.isEmpty(); }

    /** True when {@code key} names this suboption (case-insensitive, aliases included). */
    public boolean matches(String key) {
        String k = key.toUpperCase(Locale.ROOT);
        return name.equals(k) || aliases.contains(k);
    }

    /** The suboption as help writes it: {@code PING:<n>%<s>|OFF}, {@code WOL[:<delay>]}. */
    public String synopsis() {
        if (isFlag()) return name;
        String v = metavar;
        if (!keywords.isEmpty()) v = v + "|" + String.join("|", keywords);
        return optional ? name + "[:" + v + "]" : name + ":" + v;
    }

    /** Fluent construction so plugin tables read like the spec. */
    public static final class Builder {
        private final String name;
        private final String description;
        private List<String> aliases = List.of();
        private List<ValueKind> values = List.of();
        private boolean optional;
        private List<String> choices = List.of();
        private List<String> keywords = List.of();
        private String metavar = "";
        private String unavailable;

        private Builder(String name, String description) {
            this.name = name;
            this.description = description;
        }

        public Builder aliases(String... a) { aliases = List.of(a); return this; }

        public Builder optional() { optional = true; return this; }

        public Builder choices(String... c) { choices = List.of(c); metavar = String.join("|", c); return this; }

        public Builder keywords(String... k) { keywords = List.of(k); return this; }

        public Builder unavailable(String why) { unavailable = why; return this; }

        public SuboptionSpec build() {
            return new SuboptionSpec(name, aliases, values, optional, choices, keywords, metavar, description, unavailable);
        }
    }
}
