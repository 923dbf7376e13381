package org.ctys.inventory;

/**
 * The inventory's {@code defaults} block. {@code user} is the SSH user of last resort: a
 * machine's own ssh user wins, then the default ssh block's.
 */
record Defaults(String user, WolSettings wol, SshSettings ssh) {

    static final Defaults NONE = new Defaults(null, WolSettings.NONE, SshSettings.NONE);
    static final Schema SCHEMA = Schema.of("user", "wol", "ssh");

    static Defaults read(YamlNode node, Values values) {
        if (node == null) return NONE;
        Fields f = Fields.of(values.mapping(node, "defaults"), SCHEMA, "defaults", values.source());
        SettingsReader settings = new SettingsReader(values);
        return new Defaults(values.user(f.get("user"), "user of defaults"),
                settings.wol(f.get("wol"), "defaults"), settings.ssh(f.get("ssh"), "defaults"));
    }
}
