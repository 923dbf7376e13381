package org.ctys.spi;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The validated suboptions of one action: canonical name to parsed values (MAC, Duration,
 * Integer, String). A flag maps to an empty list; a keyword such as OFF is kept as a String.
 */
public final class Suboptions {
    private final Map<String, List<Object>> values;

    public Suboptions(Map<String, List<Object>> values) {
        this.values = new LinkedHashMap<>(values);
    }

    public static Suboptions none() { return new Suboptions(Map.of()); }

    public boolean has(String name) { return values.containsKey(name); }

    public List<Object> values(String name) { return values.getOrDefault(name, List.of()); }

    public Optional<Object> first(String name) {
        List<Object> v = values(name);
        return v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    public <T> Optional<T> first(String name, Class<T> type) {
        return first(name).filter(type::isInstance).map(type::cast);
    }

    public Optional<String> text(String name) { return first(name, String.class); }

    public Optional<Duration> duration(String name) { return first(name, Duration.class); }

    /** True when the suboption was given as the keyword (e.g. {@code PING:OFF}). */
    public boolean isKeyword(String name, String keyword) {
        return first(name).map(v -> v instanceof String s && s.equalsIgnoreCase(keyword)).orElse(false);
    }

    public Map<String, List<Object>> asMap() { return Map.copyOf(values); }

    @Override
    public String toString() { return values.toString(); }
}
