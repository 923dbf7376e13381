package org.ctys.inventory;

import java.util.Locale;
import java.util.Optional;

/**
 * A local serial line: the device and how the line is framed. The inventory's {@code serial:} entry
 * and {@code -t serial -a create=DEV:...} both read their values through the parsers here, so the
 * two accept the same words.
 *
 * @param device   the device path, e.g. /dev/ttyS0 or /dev/ttyUSB0
 * @param speed    bits per second
 * @param dataBits 7 or 8
 * @param stopBits 1 or 2
 */
public record SerialSettings(String device, int speed, Parity parity, int dataBits, int stopBits, Flow flow) {

    public static final int DEFAULT_SPEED = 115_200;
    /** The slowest and fastest rate Linux's termios2 (BOTHER) takes that any UART driver offers. */
    public static final int MIN_SPEED = 50;
    public static final int MAX_SPEED = 4_000_000;
    public static final String SPEED_FORM = "a whole number of bits per second from " + MIN_SPEED + " to " + MAX_SPEED
            + ", such as 9600 or 115200";

    /** The longest device path (Linux's PATH_MAX). */
    public static final int MAX_DEVICE_PATH = 4096;
    public static final String DEVICE_FORM = "an absolute path such as /dev/ttyS0, without control characters";

    /** An absolute path of printable characters: it is shown in messages and the dry run as it is. */
    public static boolean isDevicePath(String text) {
        if (!text.startsWith("/") || text.length() > MAX_DEVICE_PATH) return false;
        for (int i = 0; i < text.length(); i++) if (Character.isISOControl(text.charAt(i))) return false;
        return true;
    }

    public enum Parity {
        NONE('n'), EVEN('e'), ODD('o');

        private final char letter;

        Parity(char letter) { this.letter = letter; }

        /** The letter of the usual notation: 115200 8n1. */
        public char letter() { return letter; }
    }

    public enum Flow { NONE, RTSCTS, XONXOFF }

    public SerialSettings {
        java.util.Objects.requireNonNull(device, "device");
        java.util.Objects.requireNonNull(parity, "parity");
        java.util.Objects.requireNonNull(flow, "flow");
    }

    /** A device at the defaults: 115200 bits/s, 8 data bits, no parity, 1 stop bit, no flow control. */
    public static SerialSettings defaults(String device) {
        return new SerialSettings(device, DEFAULT_SPEED, Parity.NONE, 8, 1, Flow.NONE);
    }

    /** The line in the usual notation: {@code 115200 8n1, flow none}. */
    public String framing() {
        return speed + " " + dataBits + parity.letter() + stopBits + ", flow " + flow.name().toLowerCase(Locale.ROOT);
    }

    public SerialSettings withDevice(String d) { return new SerialSettings(d, speed, parity, dataBits, stopBits, flow); }

    public SerialSettings withSpeed(int s) { return new SerialSettings(device, s, parity, dataBits, stopBits, flow); }

    public SerialSettings withParity(Parity p) { return new SerialSettings(device, speed, p, dataBits, stopBits, flow); }

    public SerialSettings withDataBits(int b) { return new SerialSettings(device, speed, parity, b, stopBits, flow); }

    public SerialSettings withStopBits(int s) { return new SerialSettings(device, speed, parity, dataBits, s, flow); }

    public SerialSettings withFlow(Flow f) { return new SerialSettings(device, speed, parity, dataBits, stopBits, f); }

    /** A speed as written, or empty when it is not a whole number in range. */
    public static Optional<Integer> speed(String text) {
        String t = text.strip();
        if (!t.matches("\\d{1,7}")) return Optional.empty();
        int v = Integer.parseInt(t);
        return v >= MIN_SPEED && v <= MAX_SPEED ? Optional.of(v) : Optional.empty();
    }

    /** n, e or o (none, even, odd also read), any case. */
    public static Optional<Parity> parity(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        for (Parity p : Parity.values()) {
            if (t.equals(String.valueOf(p.letter())) || t.equals(p.name().toLowerCase(Locale.ROOT))) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** none, rtscts or xonxoff, any case. */
    public static Optional<Flow> flow(String text) {
        String t = text.strip().toUpperCase(Locale.ROOT);
        for (Flow f : Flow.values()) if (t.equals(f.name())) return Optional.of(f);
        return Optional.empty();
    }

    /** 7 or 8 data bits. */
    public static Optional<Integer> dataBits(String text) {
        String t = text.strip();
        return t.equals("7") || t.equals("8") ? Optional.of(Integer.parseInt(t)) : Optional.empty();
    }

    /** 1 or 2 stop bits. */
    public static Optional<Integer> stopBits(String text) {
        String t = text.strip();
        return t.equals("1") || t.equals("2") ? Optional.of(Integer.parseInt(t)) : Optional.empty();
    }
}
