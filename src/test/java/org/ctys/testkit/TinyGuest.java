package org.ctys.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * One tiny QEMU guest of {@link Libvirt}: its name, kind, MAC and the domain XML file written for
 * it, which works for both {@code virsh define} (persistent) and {@code virsh create} (transient).
 *
 * <p>The guest runs under TCG ({@code type='qemu'}: QEMU aborts with KVM on these machines), 1
 * vCPU, with its serial console written to {@link #serial}. Its one NIC is a tap device
 * ({@code <interface type='ethernet'>}) that libvirt creates and attaches to nothing, with the
 * link set down, and the guest has no NIC driver: no frame can leave the guest, and none could
 * leave the machine (no bridge, no route, no address on the tap). The VNC display listens on
 * 127.0.0.1 only, so a test can enumerate a "console kind" without opening anything to the network.
 *
 * @param memoryMiB 128 to 256
 * @param delay     how long a {@link Kind#SLOW} guest waits on the power button before it powers off; zero for the others
 */
public record TinyGuest(String name, Kind kind, String mac, int memoryMiB, Duration delay, Path xml, Path serial) {
    /** How a guest answers the ACPI power button (what {@code virsh shutdown} presses). */
    public enum Kind {
        /** acpid powers it off at once. */
        ACPI,
        /** no acpid: the button does nothing; only {@code virsh destroy} stops it. */
        DEAF,
        /** acpid powers it off after {@link TinyGuest#delay}. */
        SLOW,
        /**
         * as ACPI, and its serial line is a pseudo terminal on the host ({@code virsh console}
         * reaches it; {@link TinyGuest#serial} is its log) with an interactive shell on it
         * (prompt {@value GuestImage#PROMPT}) once the guest is ready.
         */
        CONSOLE
    }

    /** Letters of any script (libvirt takes UTF-8 names); the guest's files are named with ASCII only. */
    private static final Pattern NAME = Pattern.compile("[\\p{L}0-9][\\p{L}0-9_.-]{0,62}");
    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");

    /** Checks the parameters and writes the domain XML to {@code dir/NAME.xml}. */
    static TinyGuest write(Path dir, GuestImage image, String name, Kind kind, String mac, int memoryMiB,
                           Duration delay) throws IOException {
        if (!NAME.matcher(name).matches()) throw new IllegalArgumentException("guest name must match " + NAME + ": " + name);
        String lowerMac = mac.toLowerCase(java.util.Locale.ROOT);
        if (!MAC.matcher(lowerMac).matches() || (Integer.parseInt(lowerMac.substring(0, 2), 16) & 1) != 0) {
            throw new IllegalArgumentException("guest MAC must be a unicast aa:bb:cc:dd:ee:ff: " + mac);
        }
        if (memoryMiB < 128 || memoryMiB > 256) throw new IllegalArgumentException("guest memory must be 128 to 256 MiB: " + memoryMiB);
        if (delay.isNegative() || (kind != Kind.SLOW && !delay.isZero())) {
            throw new IllegalArgumentException("only a SLOW guest has a delay, and it is not negative: " + delay);
        }
        String file = name.replaceAll("[^A-Za-z0-9_.-]", "_");
        Path serial = dir.resolve(file + ".serial");
        TinyGuest guest = new TinyGuest(name, kind, lowerMac, memoryMiB, delay, dir.resolve(file + ".xml"), serial);
        Files.writeString(guest.xml, guest.domainXml(image));
        return guest;
    }

    private String domainXml(GuestImage image) {
        String seconds = String.format(java.util.Locale.ROOT, "%d.%03d", delay.toSeconds(), delay.toMillisPart());
        return """
                <domain type='qemu'>
                  <name>%s</name>
                  <memory unit='MiB'>%d</memory>
                  <vcpu>1</vcpu>
                  <os>
                    <type arch='x86_64' machine='pc'>hvm</type>
                    <kernel>%s</kernel>
                    <initrd>%s</initrd>
                    <cmdline>console=ttyS0 quiet no_timer_check ctys.kind=%s ctys.name=%s ctys.delay=%s</cmdline>
                  </os>
                  <features><acpi/></features>
                  <on_poweroff>destroy</on_poweroff>
                  <on_reboot>restart</on_reboot>
                  <on_crash>destroy</on_crash>
                  <devices>
                    <emulator>/usr/bin/qemu-system-x86_64</emulator>
                    %s
                    <interface type='ethernet'>
                      <mac address='%s'/>
                      <model type='virtio'/>
                      <link state='down'/>
                    </interface>
                    <graphics type='vnc' autoport='yes' listen='127.0.0.1'>
                      <listen type='address' address='127.0.0.1'/>
                    </graphics>
                    <memballoon model='none'/>
                  </devices>
                </domain>
                """.formatted(name, memoryMiB, image.kernel, image.initramfs, kind.name().toLowerCase(java.util.Locale.ROOT),
                name, seconds, serialXml(), mac);
    }

    /** A file for most guests; a pseudo terminal logged to that file for a {@link Kind#CONSOLE} guest. */
    private String serialXml() {
        if (kind == Kind.CONSOLE) {
            return "<serial type='pty'>\n      <log file='%s' append='off'/>\n      <target port='0'/>\n    </serial>".formatted(serial);
        }
        return "<serial type='file'>\n      <source path='%s'/>\n      <target port='0'/>\n    </serial>".formatted(serial);
    }
}
