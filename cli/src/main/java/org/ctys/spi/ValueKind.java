package org.ctys.spi;

/** The kind of one value of a suboption; validation parses and checks values by kind. */
public enum ValueKind {
    /** Free text, e.g. a host name or a label. */
    TEXT("text"),
    /** A MAC address such as aa:bb:cc:dd:ee:ff. */
    MAC("MAC"),
    /** A host name, an IPv4 address or an IPv6 address (in brackets or not; carried without them). */
    HOST("host"),
    /** An IPv4 address. */
    IPV4("IPv4 address"),
    /** A TCP/UDP port, 1..65535. */
    PORT("port"),
    /** A duration: 30, 30s, 500ms, 2m, 1h; 0 allowed (a delay, a spacing). */
    DURATION("duration"),
    /** A duration that bounds a wait (TIMEOUT): as DURATION, but above zero. */
    TIMEOUT("timeout"),
    /** A positive whole number. */
    COUNT("count"),
    /** A network interface name, e.g. eth0. */
    INTERFACE("interface"),
    /** One word out of a fixed list (see {@link SuboptionSpec#choices()}). */
    CHOICE("choice");

    private final String label;

    ValueKind(String label) { this.label = label; }

    public String label() { return label; }
}
