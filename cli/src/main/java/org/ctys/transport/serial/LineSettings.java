package org.ctys.transport.serial;

import java.util.Locale;

/**
 * How a serial line is framed, in the transport's own words (the inventory's and the plugin's values
 * are mapped onto these by the engine, so this package depends on nothing of ctys).
 *
 * @param speed    bits per second
 * @param dataBits 7 or 8
 * @param stopBits 1 or 2
 */
public record LineSettings(int speed, Parity parity, int dataBits, int stopBits, Flow flow) {

    public enum Parity { NONE, EVEN, ODD }

    public enum Flow { NONE, RTSCTS, XONXOFF }

    public LineSettings {
        if (speed <= 0) throw new IllegalArgumentException("speed " + speed);
        if (dataBits != 7 && dataBits != 8) throw new IllegalArgumentException("data bits " + dataBits);
        if (stopBits != 1 && stopBits != 2) throw new IllegalArgumentException("stop bits " + stopBits);
        java.util.Objects.requireNonNull(parity, "parity");
        java.util.Objects.requireNonNull(flow, "flow");
    }

    /** {@code 115200 8n1, flow none}, as messages name the framing. */
    @Override
    public String toString() {
        return speed + " " + dataBits + parity.name().toLowerCase(Locale.ROOT).charAt(0) + stopBits + ", flow "
                + flow.name().toLowerCase(Locale.ROOT);
    }
}
