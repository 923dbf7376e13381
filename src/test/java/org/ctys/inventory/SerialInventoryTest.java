package org.ctys.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.ctys.exit.CtysException;
import org.ctys.exit.ExitStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The serial: entry of a machine: its defaults, every value, and each mistake named with file and line. */
class SerialInventoryTest {
    @TempDir Path dir;

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("inventory.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private Machine lab07(String yaml) throws IOException {
        return InventoryLoader.parse(write(yaml)).machine("lab07").orElseThrow();
    }

    @Test
    void aDeviceAloneRunsAt115200EightNoneOneWithoutFlowControl() throws IOException {
        Machine m = lab07("machines:\n  lab07:\n    serial: {device: /dev/ttyS0}\n");

        assertThat(m.serial()).isEqualTo(new SerialSettings("/dev/ttyS0", 115200, SerialSettings.Parity.NONE, 8, 1,
                SerialSettings.Flow.NONE));
        assertThat(m.serial().framing()).isEqualTo("115200 8n1, flow none");
    }

    @Test
    void everyValueIsRead() throws IOException {
        Machine m = lab07("""
                machines:
                  lab07:
                    serial:
                      device: /dev/serial/by-id/usb-FTDI-if00
                      speed: 9600
                      parity: e
                      bits: 7
                      stop: 2
                      flow: RtsCts
                """);

        assertThat(m.serial()).isEqualTo(new SerialSettings("/dev/serial/by-id/usb-FTDI-if00", 9600,
                SerialSettings.Parity.EVEN, 7, 2, SerialSettings.Flow.RTSCTS));
    }

    @Test
    void aMachineWithoutTheEntryHasNoLine() throws IOException {
        assertThat(lab07("machines:\n  lab07: {host: 10.0.0.7}\n").serial()).isNull();
    }

    @Test
    void eachBadValueIsNamedWithItsLine() throws IOException {
        String at = dir.resolve("inventory.yaml") + ":";
        assertConfigError("machines:\n  lab07:\n    serial:\n      device: /dev/ttyS0\n      speed: fast\n",
                at + "5: speed of serial of 'lab07' is 'fast'; valid: a whole number of bits per second from 50 to 4000000");
        assertConfigError("machines:\n  lab07:\n    serial: {device: /dev/ttyS0, speed: 10}\n",
                at + "3: speed of serial of 'lab07' is '10'");
        assertConfigError("machines:\n  lab07:\n    serial:\n      device: /dev/ttyS0\n      parity: x\n",
                at + "5: parity of serial of 'lab07' is 'x'; valid: n, e or o");
        assertConfigError("machines:\n  lab07:\n    serial: {device: /dev/ttyS0, bits: 6}\n",
                at + "3: bits of serial of 'lab07' is '6'; valid: 7 or 8");
        assertConfigError("machines:\n  lab07:\n    serial: {device: /dev/ttyS0, stop: 3}\n",
                at + "3: stop of serial of 'lab07' is '3'; valid: 1 or 2");
        assertConfigError("machines:\n  lab07:\n    serial: {device: /dev/ttyS0, flow: dtrdsr}\n",
                at + "3: flow of serial of 'lab07' is 'dtrdsr'; valid: none, rtscts or xonxoff");
        assertConfigError("machines:\n  lab07:\n    serial: {speed: 9600}\n",
                at + "3: serial of 'lab07' needs a device, such as /dev/ttyS0");
        assertConfigError("machines:\n  lab07:\n    serial: {device: ttyS0}\n",
                at + "3: device of serial of 'lab07' is 'ttyS0'; expected an absolute path such as /dev/ttyS0");
        assertConfigError("machines:\n  lab07:\n    serial:\n      device: /dev/ttyS0\n      baud: 9600\n",
                at + "5: unknown key 'baud' in serial of 'lab07' (valid: device, speed, parity, bits, stop, flow)");
    }

    private void assertConfigError(String yaml, String message) throws IOException {
        Path file = write(yaml);
        assertThatThrownBy(() -> InventoryLoader.parse(file))
                .isInstanceOfSatisfying(CtysException.class, e -> assertThat(e.status()).isEqualTo(ExitStatus.CONFIG))
                .hasMessageStartingWith(message);
    }

    @Test
    void theCachedCopyKeepsTheLine() throws IOException {
        Path file = write("machines:\n  lab07:\n    serial: {device: /dev/ttyUSB0, speed: 57600, parity: o, bits: 7, stop: 2,"
                + " flow: xonxoff}\n  lab08: {}\n");
        Inventory parsed = InventoryLoader.parse(file);
        InventoryLoader.load(file, Map.of(), dir.resolve("home"), dir.resolve("none"));
        Inventory fromCopy = InventoryLoader.load(file, Map.of(), dir.resolve("home"), dir.resolve("none"));

        assertThat(fromCopy.machine("lab07").orElseThrow().serial()).isEqualTo(parsed.machine("lab07").orElseThrow().serial())
                .isNotNull();
        assertThat(fromCopy.machine("lab08").orElseThrow().serial()).isNull();
    }
}
