package org.ctys.inventory;

import java.nio.file.InvalidPathException;
import java.util.regex.Pattern;
import org.ctys.grammar.Names;

/** Reads the wol, ssh and bmc blocks, which machines, guests and defaults share. */
final class SettingsReader {

    private static final String SECRETS_HINT = "a secret never goes in the inventory; use ";
    static final Schema WOL = Schema.of("broadcast", "port", "interface", "secureon-file", "gateway")
            .refusing("secureon", SECRETS_HINT + "secureon-file")
            .refusing("password", SECRETS_HINT + "secureon-file");
    static final Schema SSH = Schema.of("user", "port", "jump")
            .refusing("password", "use SSH keys or an agent");
    static final Schema VNC = Schema.of("password-file", "password-env")
            .refusing("password", "use password-file or password-env");
    static final Schema BMC = Schema.of("address", "port", "user", "password-file", "password-env", "cipher-suite",
                    "allow-cipher-suite-0", "kg-file", "kg-env")
            .refusing("password", "use password-file or password-env")
            .refusing("kg", SECRETS_HINT + "kg-file or kg-env");

    static final Schema SERIAL = Schema.of("device", "speed", "parity", "bits", "stop", "flow");

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final int MAX_CIPHER_SUITE = 17;

    private final Values values;

    SettingsReader(Values values) { this.values = values; }

    /** @param owner how messages name the block's owner: {@code 'lab01'} or {@code defaults} */
    WolSettings wol(YamlNode node, String owner) {
        if (node == null) return WolSettings.NONE;
        String context = "wol of " + owner;
        Fields f = Fields.of(values.mapping(node, context), WOL, context, values.source());
        YamlNode secureOn = f.get("secureon-file");
        String broadcast = values.text(f.get("broadcast"), "broadcast of " + context);
        if (broadcast != null && !Names.isIpv4(broadcast)) {
            throw values.source().error(f.get("broadcast").line(), "broadcast of " + context + " is '" + broadcast
                    + "', not an IPv4 address such as 192.168.3.255 (no leading zeros)");
        }
        String iface = values.text(f.get("interface"), "interface of " + context);
        if (iface != null && !HostSyntax.isInterface(iface)) {
            throw values.source().error(f.get("interface").line(), "bad interface of " + context + ": '" + iface
                    + "'; expected " + HostSyntax.INTERFACE_FORM);
        }
        return new WolSettings(
                broadcast,
                values.integer(f.get("port"), "port of " + context, 1, 65535),
                iface,
                secureOn == null ? null : SecretRef.file(path(secureOn, "secureon-file of " + context)),
                values.host(f.get("gateway"), "gateway of " + context));
    }

    SshSettings ssh(YamlNode node, String owner) {
        if (node == null) return SshSettings.NONE;
        String context = "ssh of " + owner;
        Fields f = Fields.of(values.mapping(node, context), SSH, context, values.source());
        YamlNode jump = f.get("jump");
        if (jump != null) {
            for (YamlNode.Scalar hop : values.scalars(jump, "jump of " + context)) {
                if (!HostSyntax.isJump(hop.text().strip())) {
                    throw values.source().error(hop.line(), "bad jump host '" + hop.text().strip() + "' in " + context
                            + "; expected " + HostSyntax.JUMP_FORM);
                }
            }
        }
        return new SshSettings(
                values.user(f.get("user"), "user of " + context),
                values.integer(f.get("port"), "port of " + context, 1, 65535),
                values.texts(jump, "jump of " + context));
    }

    BmcSettings bmc(YamlNode node, String owner) {
        if (node == null) return null;
        String context = "bmc of " + owner;
        Fields f = Fields.of(values.mapping(node, context), BMC, context, values.source());
        String address = values.host(f.get("address"), "address of " + context);
        if (address == null) {
            throw values.source().error(node.line(), context + " needs an address");
        }
        Integer suite = values.integer(f.get("cipher-suite"), "cipher-suite of " + context, 0, MAX_CIPHER_SUITE);
        int cipherSuite = suite == null ? BmcSettings.DEFAULT_CIPHER_SUITE : suite;
        if (!BmcSettings.SPOKEN_CIPHER_SUITES.contains(cipherSuite)) {
            throw values.source().error(f.get("cipher-suite").line(), "cipher-suite " + cipherSuite + " of " + context
                    + " is not one ctys speaks (suites 1 and 15 protect the login only; MD5 and xRC4 suites are not"
                    + " offered); valid: 3 (the default), 17, 2, 16, or 0 with allow-cipher-suite-0: true");
        }
        boolean allow0 = values.bool(f.get("allow-cipher-suite-0"), "allow-cipher-suite-0 of " + context, false);
        if (cipherSuite == 0 && !allow0) {
            throw values.source().error(f.get("cipher-suite").line(), "cipher-suite 0 of " + context
                    + " sends no authentication; set allow-cipher-suite-0: true to use it anyway");
        }
        Integer port = values.integer(f.get("port"), "port of " + context, 1, 65535);
        return new BmcSettings(address, port == null ? BmcSettings.DEFAULT_PORT : port,
                values.text(f.get("user"), "user of " + context),
                secret(f, "password", context), cipherSuite, allow0, secret(f, "kg", context));
    }

    /** The password of a machine's VNC display: its {@code vnc} block's password-file or password-env. */
    SecretRef vncPassword(YamlNode node, String owner) {
        if (node == null) return null;
        String context = "vnc of " + owner;
        Fields f = Fields.of(values.mapping(node, context), VNC, context, values.source());
        return secret(f, "password", context);
    }

    /** A serial block: a device and its framing, each value as -t serial's suboption of the same name takes it. */
    SerialSettings serial(YamlNode node, String owner) {
        if (node == null) return null;
        String context = "serial of " + owner;
        Fields f = Fields.of(values.mapping(node, context), SERIAL, context, values.source());
        String device = values.text(f.get("device"), "device of " + context);
        if (device == null) throw values.source().error(node.line(), context + " needs a device, such as /dev/ttyS0");
        if (!SerialSettings.isDevicePath(device)) {
            throw values.source().error(f.get("device").line(), "device of " + context + " is '" + device + "'; expected "
                    + SerialSettings.DEVICE_FORM);
        }
        SerialSettings s = SerialSettings.defaults(device);
        s = s.withSpeed(serialValue(f, "speed", context, SerialSettings::speed, SerialSettings.SPEED_FORM, s.speed()));
        s = s.withParity(serialValue(f, "parity", context, SerialSettings::parity, "n, e or o", s.parity()));
        s = s.withDataBits(serialValue(f, "bits", context, SerialSettings::dataBits, "7 or 8", s.dataBits()));
        s = s.withStopBits(serialValue(f, "stop", context, SerialSettings::stopBits, "1 or 2", s.stopBits()));
        return s.withFlow(serialValue(f, "flow", context, SerialSettings::flow, "none, rtscts or xonxoff", s.flow()));
    }

    private <T> T serialValue(Fields f, String key, String context, java.util.function.Function<String, java.util.Optional<T>> parse,
                              String valid, T absent) {
        YamlNode node = f.get(key);
        if (node == null) return absent;
        String text = values.text(node, key + " of " + context);
        return parse.apply(text).orElseThrow(() -> values.source().error(node.line(), key + " of " + context + " is '" + text
                + "'; valid: " + valid));
    }

    /** The password (or the BMC key, K_G) of a bmc block: {@code <what>-file} or {@code <what>-env}. */
    private SecretRef secret(Fields f, String what, String context) {
        YamlNode file = f.get(what + "-file");
        YamlNode env = f.get(what + "-env");
        if (file != null && env != null) {
            throw values.source().error(env.line(), context + " gives both " + what + "-file and " + what + "-env; keep one");
        }
        if (file != null) return SecretRef.file(path(file, what + "-file of " + context));
        if (env == null) return null;
        String name = values.text(env, what + "-env of " + context);
        if (!ENV_NAME.matcher(name).matches()) {
            throw values.source().error(env.line(), what + "-env of " + context + " must name an environment variable"
                    + " (letters, digits, underscore), not '" + name + "'");
        }
        return SecretRef.env(name);
    }

    private java.nio.file.Path path(YamlNode node, String what) {
        String text = values.text(node, what);
        try {
            return values.source().resolve(text);
        } catch (InvalidPathException e) {
            throw values.source().error(node.line(), what + " is not a valid path: '" + text + "'");
        }
    }
}
