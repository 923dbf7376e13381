package org.ctys.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * -t serial through the whole command line, in-process: every bad suboption is a usage error (exit 2)
 * naming it, a machine without a line is a configuration error (exit 3), and the dry run shows the
 * device and framing that would be opened. Nothing here opens a device: a device path that does not
 * exist is used throughout, and a real run would report it missing (SerialConsoleIT runs real ones).
 */
class SerialCliTest {
    @TempDir Path dir;

    private CliRun ctys(String... args) throws Exception {
        Path inv = dir.resolve("inventory.yaml");
        Files.writeString(inv, """
                machines:
                  lab07:
                    serial: {device: /dev/ctys-test-ttyS7, speed: 9600, stop: 2}
                  lab08: {host: 10.0.0.8}
                """);
        return CliRun.run(dir, Map.of("CTYS_INVENTORY", inv.toString()), args);
    }

    @Test
    void theDryRunShowsTheDeviceAndItsFramingAtTheDefaults() throws Exception {
        CliRun r = ctys("-n", "-t", "serial", "-a", "create=dev:/dev/ctys-test-ttyUSB0");

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("picocom -b 115200 -d 8 -y n -p 1 -f n /dev/ctys-test-ttyUSB0   # the serial line at 115200 8n1, flow none");
    }

    @Test
    void theDryRunOfAMachineUsesItsEntryWithTheSuboptionsOverIt() throws Exception {
        CliRun r = ctys("-n", "-t", "serial", "-a", "create=parity:e,bits:7,flow:xonxoff", "lab07");

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("picocom -b 9600 -d 7 -y e -p 2 -f s /dev/ctys-test-ttyS7   # the serial line at 9600 7e2, flow xonxoff");
    }

    @Test
    void devOverridesTheMachinesDeviceAndKeepsItsFraming() throws Exception {
        CliRun r = ctys("-n", "-t", "serial", "-a", "create=DEV:/dev/ctys-test-other,speed:57600", "lab07");

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("picocom -b 57600 -d 8 -y n -p 2 -f n /dev/ctys-test-other   # the serial line at 57600 8n2, flow none");
    }

    @Test
    void eachBadSuboptionIsAUsageErrorNamingIt() throws Exception {
        assertUsage("create=dev:/dev/x,speed:fast", "suboption 'SPEED:fast': expected a whole number of bits per second from 50 to 4000000");
        assertUsage("create=dev:/dev/x,speed:5000000", "suboption 'SPEED:5000000'");
        assertUsage("create=dev:/dev/x,parity:x", "suboption 'parity:x': 'x' is not one of N|E|O");
        assertUsage("create=dev:/dev/x,bits:6", "suboption 'bits:6': '6' is not one of 7|8");
        assertUsage("create=dev:/dev/x,stop:3", "suboption 'stop:3': '3' is not one of 1|2");
        assertUsage("create=dev:/dev/x,flow:dtr", "suboption 'flow:dtr': 'dtr' is not one of NONE|RTSCTS|XONXOFF");
        assertUsage("create=dev:ttyS0", "suboption 'DEV:ttyS0': expected an absolute path such as /dev/ttyS0");
        assertUsage("create=dev:/dev/x,baud:9600", "unknown suboption 'baud:9600' for SERIAL CREATE; valid: DEV, SPEED");
        assertUsage("create", "no serial line: give DEV:<path>");
    }

    @Test
    void oneLineAtATime() throws Exception {
        CliRun r = ctys("-n", "-t", "serial", "-a", "create", "lab07", "lab08");

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.firstErrLine()).contains("a console attaches to one line, not 2 targets");
    }

    @Test
    void aMachineWithoutALineIsAConfigurationError() throws Exception {
        CliRun r = ctys("-t", "serial", "-a", "create", "lab08");

        assertThat(r.status()).isEqualTo(3);
        assertThat(r.firstErrLine()).contains("no serial line known for 'lab08': give it a serial: entry");
    }

    @Test
    void aDeviceThatDoesNotExistFailsTheTargetInOneLine() throws Exception {
        CliRun r = ctys("-t", "serial", "-a", "create", "lab07");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out() + r.err()).contains("serial line /dev/ctys-test-ttyS7: no such device");
    }

    private void assertUsage(String action, String message) throws Exception {
        CliRun r = ctys("-n", "-t", "serial", "-a", action);
        assertThat(r.status()).as(action + ": " + r.err()).isEqualTo(2);
        assertThat(r.firstErrLine()).as(action).contains(message);
        assertThat(r.out()).as(action).isEmpty();
    }
}
