package org.ctys.inventory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.ctys.grammar.Mac;
import org.ctys.grammar.Names;

/**
 * Reads the {@code machines} block and, recursively, their guests. Names are unique across the
 * whole tree because targets name guests directly, without their host.
 */
final class MachineReader {

    static final Schema MACHINE = Schema.of("host", "mac", "wol", "bmc", "ssh", "hypervisor", "uri", "guests", "vnc",
            "serial");
    static final Schema GUEST = Schema.of("host", "mac", "wol", "bmc", "ssh", "hypervisor", "uri", "guests",
            "console", "via-host-only", "vnc", "serial");

    /**
     * Names appear in target lists next to ',', '@' and nodeset brackets, so those are excluded;
     * a machine name must also be a host name as the target grammar reads one ({@link Names#isHost}),
     * or no command line could name it.
     */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");
    static final String NAME_FORM = "letters, digits, '-' and '_', dots between parts, starting with a letter,"
            + " digit or '_' and not ending with '-', at most 63 characters between dots";

    private final Values values;
    private final SettingsReader settings;
    private final Defaults defaults;
    /** Name in lower case to the line that first defined it: a hash map keeps duplicate detection linear. */
    private final Map<String, Integer> seen = new HashMap<>();

    MachineReader(Values values, Defaults defaults) {
        this.values = values;
        this.settings = new SettingsReader(values);
        this.defaults = defaults;
    }

    List<Machine> machines(YamlNode node) {
        if (node == null) return List.of();
        YamlNode.Mapping mapping = values.mapping(node, "machines");
        List<Machine> out = new ArrayList<>(mapping.entries().size());
        for (YamlNode.Entry e : mapping.entries()) out.add(machine(e, null));
        return out;
    }

    private Machine machine(YamlNode.Entry entry, String parent) {
        String name = entry.key();
        checkName(name, entry.line());
        boolean guest = parent != null;
        String context = (guest ? "guest '" : "machine '") + name + "'";
        String owner = "'" + name + "'";
        Fields f = entry.value() instanceof YamlNode.Scalar s && s.isEmpty()
                ? Fields.of(new YamlNode.Mapping(List.of(), entry.line()), MACHINE, context, values.source())
                : Fields.of(values.mapping(entry.value(), context), guest ? GUEST : MACHINE, context, values.source());

        String host = values.host(f.get("host"), "host of " + owner);
        WolSettings wol = settings.wol(f.get("wol"), owner).orElse(defaults.wol()).forMachine(name);
        SshSettings ssh = settings.ssh(f.get("ssh"), owner).orElse(defaults.ssh(), defaults.user()).forMachine(name);
        return new Machine(name, host == null ? name : host, macs(f.get("mac"), owner), wol,
                settings.bmc(f.get("bmc"), owner), ssh, hypervisor(f.get("hypervisor"), owner),
                uri(f.get("uri"), owner), guests(f.get("guests"), name), values.text(f.get("console"), "console of " + owner),
                values.bool(f.get("via-host-only"), "via-host-only of " + owner, false), parent,
                settings.vncPassword(f.get("vnc"), owner), settings.serial(f.get("serial"), owner));
    }

    private void checkName(String name, int line) {
        if (!isName(name)) {
            throw values.source().error(line, "bad machine name '" + name + "': use " + NAME_FORM);
        }
        Integer first = seen.putIfAbsent(Inventory.key(name), line);
        if (first != null) {
            throw values.source().error(line, "duplicate machine name '" + name + "' (first defined at line "
                    + first + "); names must be unique across machines and guests, and case does not count");
        }
    }

    /** {@link #NAME} and a host name; a host name always matches NAME, so no regular expression runs per machine. */
    private static boolean isName(String name) {
        return Names.isHost(name);
    }

    private List<Mac> macs(YamlNode node, String owner) {
        List<YamlNode.Scalar> texts = values.scalars(node, "mac of " + owner);
        List<Mac> macs = new ArrayList<>(texts.size());
        for (YamlNode.Scalar s : texts) {
            Mac mac = Mac.tryParse(s.text().strip());
            if (mac == null) {
                throw values.source().error(s.line(), "bad MAC address '" + s.text() + "' for " + owner
                        + ": expected six hex pairs such as aa:bb:cc:dd:ee:ff");
            }
            if (mac.group()) throw values.source().error(s.line(), Mac.groupText(s.text().strip()) + " (mac of " + owner + ")");
            macs.add(mac);
        }
        return macs;
    }

    private Hypervisor hypervisor(YamlNode node, String owner) {
        if (node == null) return Hypervisor.NONE;
        String text = values.text(node, "hypervisor of " + owner);
        return Hypervisor.of(text).orElseThrow(() -> values.source().error(node.line(),
                "hypervisor '" + text + "' of " + owner + " is not one of kvm, xen, none"));
    }

    /**
     * A libvirt connection URI ({@code qemu:///system}, {@code lxc:///system}, {@code qemu+ssh://...} is
     * not wanted: ctys reaches the host by SSH itself): a scheme, "://", and no white space or control
     * characters, since it becomes a word of a command on the host.
     */
    private String uri(YamlNode node, String owner) {
        if (node == null) return null;
        String text = values.text(node, "uri of " + owner);
        if (!URI.matcher(text).matches()) {
            throw values.source().error(node.line(), "bad uri '" + text + "' of " + owner
                    + ": expected a libvirt connection URI such as qemu:///system or lxc:///system");
        }
        return text;
    }

    private static final java.util.regex.Pattern URI = java.util.regex.Pattern.compile("[a-z][a-z0-9+.-]*://[!-~&&[^'\"\\`$]]*");

    private Map<String, Machine> guests(YamlNode node, String parent) {
        if (node == null) return Map.of();
        YamlNode.Mapping mapping = values.mapping(node, "guests of '" + parent + "'");
        Map<String, Machine> out = new LinkedHashMap<>();
        for (YamlNode.Entry e : mapping.entries()) out.put(e.key(), machine(e, parent));
        return out;
    }
}
