package org.ctys.stack;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads {@code xl list -l} (Xen 4.17, xl_info.c list_domains_details): a JSON array of
 * {@code {"domid": N, "config": libxl_domain_config}}, the config as libxl's generated JSON writes
 * it (libxl_types.idl): {@code c_info.name}, {@code nics[].mac}, {@code vfbs[].vnc} for a PV
 * framebuffer and {@code b_info."type.hvm".vnc} for an HVM guest (a keyed union is written as
 * "key.value"), each {@code {"enable": "True"|"False"|"<default>", "listen": …, "display": N,
 * "findunused": …}}; fields at their default are left out.
 */
final class XlDetails {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int VNC_BASE_PORT = 5900;
    private static final int MAX_PORT = 65535;

    private XlDetails() {}

    static List<GuestDetails> parse(String stdout) {
        JsonNode root;
        try {
            root = JSON.readTree(stdout);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("xl list -l printed no JSON (is output_format=\"sxp\" set in xl.conf?): \""
                    + Virsh.firstLine(stdout) + "\"");
        }
        if (root == null || !root.isArray()) throw new IllegalArgumentException("xl list -l printed no JSON array: \"" + Virsh.firstLine(stdout) + "\"");
        List<GuestDetails> all = new ArrayList<>();
        for (JsonNode domain : root) {
            if (domain.path("domid").asInt(-1) == 0) continue; // Domain-0 is the host
            JsonNode config = domain.path("config");
            String name = config.path("c_info").path("name").textValue();
            if (name == null) throw new IllegalArgumentException("xl list -l printed a domain without c_info.name: " + abbreviate(domain));
            List<String> macs = new ArrayList<>();
            for (JsonNode nic : config.path("nics")) {
                String mac = nic.path("mac").textValue();
                if (mac != null) macs.add(mac.toLowerCase(Locale.ROOT));
            }
            Set<String> consoles = new LinkedHashSet<>();
            consoles.add("serial"); // xl console reaches every PV and HVM guest
            for (JsonNode vfb : config.path("vfbs")) vnc(vfb.path("vnc"), consoles);
            vnc(config.path("b_info").path("type.hvm").path("vnc"), consoles);
            all.add(new GuestDetails(name, macs, List.copyOf(consoles)));
        }
        return all;
    }

    /** "vnc:ADDR:PORT" only when the port is fixed (a display, no findunused); else just "vnc". */
    private static void vnc(JsonNode vnc, Set<String> consoles) {
        if (!"True".equals(vnc.path("enable").textValue())) return;
        String listen = vnc.path("listen").textValue();
        JsonNode display = vnc.path("display");
        boolean fixed = "False".equals(vnc.path("findunused").textValue()) && display.canConvertToInt()
                && display.intValue() >= 0 && display.intValue() <= MAX_PORT - VNC_BASE_PORT;
        // a listen of "ADDR:DISPLAY" is xl's other spelling: not taken apart here, the port would be a guess
        if (fixed && listen != null && !listen.isEmpty() && !listen.contains(":")) {
            consoles.add("vnc:" + listen + ":" + (VNC_BASE_PORT + display.intValue()));
        } else {
            consoles.add("vnc");
        }
    }

    private static String abbreviate(JsonNode node) {
        String s = node.toString();
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }
}
