package org.ctys.inventory;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keys one kind of block accepts, in the order error messages list them, and keys refused
 * with a specific hint (inline secrets) rather than as mere typos. Built once per block kind.
 */
record Schema(List<String> keys, Set<String> keySet, Map<String, String> refused) {

    static Schema of(String... keys) {
        return new Schema(List.of(keys), Set.of(keys), Map.of());
    }

    Schema refusing(String key, String hint) {
        Map<String, String> r = new java.util.HashMap<>(refused);
        r.put(key, hint);
        return new Schema(keys, keySet, Map.copyOf(r));
    }

    String listing() { return String.join(", ", keys); }
}
