package org.ctys.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.ctys.exit.CtysException;
import org.ctys.grammar.Suggest;
import org.ctys.spi.Plugin;

/** The plugins found with {@link ServiceLoader}; the CLI knows them only through the SPI. */
final class Plugins {
    private final List<Plugin> all;

    Plugins(List<Plugin> all) { this.all = List.copyOf(all); }

    static Plugins load() {
        List<Plugin> found = new ArrayList<>();
        ServiceLoader.load(Plugin.class, Plugins.class.getClassLoader()).forEach(found::add);
        found.sort((a, b) -> a.type().compareTo(b.type()));
        return new Plugins(found);
    }

    List<Plugin> all() { return all; }

    List<String> typeNames() { return all.stream().map(Plugin::type).toList(); }

    /** The plugin of a {@code -t} value, or a usage error listing the valid types. */
    Plugin byType(String name) {
        for (Plugin p : all) if (p.answersTo(name)) return p;
        List<String> names = new ArrayList<>();
        for (Plugin p : all) {
            names.add(p.type());
            names.addAll(p.aliases());
        }
        throw CtysException.usage("unknown type '" + name + "' for -t; valid: " + String.join(", ", typeNames())
                + Suggest.didYouMean(name, names));
    }

    /** The plugins of a {@code -T} value: a comma-separated list or ALL. */
    List<Plugin> byTypes(String list) {
        if (list.equalsIgnoreCase("ALL")) {
            List<Plugin> machines = new ArrayList<>();
            for (Plugin p : all) if (p.targetsAreMachines()) machines.add(p);
            return machines;
        }
        List<Plugin> out = new ArrayList<>();
        for (String t : list.split(",")) {
            if (t.isBlank()) throw CtysException.usage("empty type in -T '" + list + "'; valid: ALL or " + String.join(",", typeNames()));
            Plugin p = byType(t.trim());
            if (!out.contains(p)) out.add(p);
        }
        return out;
    }
}
