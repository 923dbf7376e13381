package org.ctys.spi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.ctys.exit.CtysException;
import org.ctys.grammar.Durations;
import org.ctys.grammar.Mac;
import org.ctys.grammar.Names;
import org.ctys.grammar.RawSuboption;
import org.ctys.grammar.Suggest;

/**
 * Checks raw suboptions against an action's table and parses their values by kind. Every
 * problem is a usage error that names the suboption as typed and says what would be valid.
 */
public final class SuboptionValidator {

    private SuboptionValidator() {}

    public static Suboptions validate(String type, ActionSpec action, List<RawSuboption> raw) {
        Map<String, List<Object>> values = new LinkedHashMap<>();
        Map<String, String> typed = new LinkedHashMap<>();
        for (RawSuboption r : raw) {
            SuboptionSpec spec = action.suboption(r.key()).orElseThrow(() -> unknown(type, action, r));
            if (spec.unavailable() != null) {
                throw CtysException.usage("suboption '" + r.token() + "' of " + type + " " + action.name() + " "
                        + spec.unavailable());
            }
            String earlier = typed.put(spec.name(), r.token());
            if (earlier != null) {
                throw CtysException.usage("suboption " + spec.name() + " given twice: '" + earlier + "' and '"
                        + r.token() + "'");
            }
            values.put(spec.name(), parseValues(spec, r));
        }
        for (Set<String> group : action.exclusive()) {
            List<String> given = group.stream().filter(values::containsKey).sorted().toList();
            if (given.size() > 1) {
                throw CtysException.usage("'" + typed.get(given.get(0)) + "' and '" + typed.get(given.get(1))
                        + "' exclude each other; valid: one of " + String.join(", ", new TreeSet<>(group)));
            }
        }
        for (Map.Entry<String, Set<String>> req : action.requires().entrySet()) {
            if (values.containsKey(req.getKey()) && req.getValue().stream().noneMatch(values::containsKey)) {
                throw CtysException.usage("'" + typed.get(req.getKey()) + "' is only valid together with "
                        + String.join(" or ", new TreeSet<>(req.getValue())));
            }
        }
        return new Suboptions(values);
    }

    private static CtysException unknown(String type, ActionSpec action, RawSuboption r) {
        List<String> names = new ArrayList<>();
        for (SuboptionSpec s : action.suboptions()) {
            names.add(s.name());
            names.addAll(s.aliases());
        }
        String valid = action.suboptions().isEmpty() ? "it takes none"
                : "valid: " + String.join(", ", action.suboptions().stream().map(SuboptionSpec::name).toList());
        return CtysException.usage("unknown suboption '" + r.token() + "' for " + type + " " + action.name() + "; "
                + valid + Suggest.didYouMean(r.key(), names));
    }

    private static List<Object> parseValues(SuboptionSpec spec, RawSuboption r) {
        if (spec.isFlag()) {
            if (r.hasValue()) {
                throw CtysException.usage("suboption '" + r.token() + "': " + spec.name() + " is a flag and takes no value");
            }
            return List.of();
        }
        if (!r.hasValue()) {
            if (spec.optional()) return List.of();
            throw CtysException.usage("suboption '" + r.token() + "' needs a value: " + spec.synopsis());
        }
        if (r.values().size() == 1) {
            String v = r.values().get(0);
            for (String k : spec.keywords()) {
                if (k.equalsIgnoreCase(v)) return List.of(k);
            }
        }
        if (r.values().size() != spec.values().size()) {
            throw CtysException.usage("suboption '" + r.token() + "' has " + r.values().size() + " value"
                    + (r.values().size() == 1 ? "" : "s") + ", expected " + spec.synopsis());
        }
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < spec.values().size(); i++) {
            out.add(parse(spec, spec.values().get(i), r.values().get(i), r.token()));
        }
        // <n>%<s>: n tries s apart, a wait that must stay within the longest one ctys accepts
        if (out.size() == 2 && out.get(0) instanceof Integer tries && out.get(1) instanceof java.time.Duration spacing) {
            Durations.checkTries(tries, spacing, r.token());
        }
        return out;
    }

    private static Object parse(SuboptionSpec spec, ValueKind kind, String v, String token) {
        try {
            return switch (kind) {
                case TEXT -> nonEmpty(v);
                case MAC -> Mac.parse(v);
                case IPV4 -> ipv4(v);
                case HOST -> host(v);
                case PORT -> port(v);
                case DURATION -> Durations.parse(v);
                case TIMEOUT -> Durations.parseBound(v);
                case COUNT -> Durations.parseCount(v);
                case INTERFACE -> iface(v);
                case CHOICE -> choice(spec, v);
            };
        } catch (CtysException e) {
            throw CtysException.usage("suboption '" + token + "': " + e.getMessage());
        }
    }

    private static String nonEmpty(String v) {
        if (v.isBlank()) throw CtysException.usage("empty value");
        return v;
    }

    private static String ipv4(String v) {
        if (Names.isIpv4(v)) return v;
        if (Names.isIpv6(v) || Names.bracketedIpv6(v) != null) {
            throw CtysException.usage("'" + v + "' is an IPv6 address; magic packets are sent over IPv4 only: expected"
                    + " four numbers 0-255 such as 192.168.3.255");
        }
        throw CtysException.usage("bad IPv4 address '" + v + "': expected four numbers 0-255 without leading zeros, such as 192.168.3.255");
    }

    /** A host name or an address; an IPv6 address in brackets or not, carried without them. */
    private static String host(String v) {
        String host = Names.host(v);
        if (host != null) return host;
        throw CtysException.usage("bad host '" + v + "': expected a host name, an IPv4 address such as 192.168.3.11 (no leading zeros)"
                + " or an IPv6 address such as [2001:db8::11]");
    }

    private static Integer port(String v) {
        if (v.matches("\\d{1,5}")) {
            int p = Integer.parseInt(v);
            if (p >= 1 && p <= 65535) return p;
        }
        throw CtysException.usage("bad port '" + v + "': expected 1-65535");
    }

    private static String iface(String v) {
        if (v.matches("[A-Za-z0-9_.:@-]{1,15}")) return v;
        throw CtysException.usage("bad interface name '" + v + "': expected up to 15 letters, digits, '.', '-', '_'");
    }

    private static String choice(SuboptionSpec spec, String v) {
        String up = v.toUpperCase(Locale.ROOT);
        if (spec.choices().contains(up)) return up;
        throw CtysException.usage("'" + v + "' is not one of " + String.join("|", spec.choices())
                + Suggest.didYouMean(v, spec.choices()));
    }
}
