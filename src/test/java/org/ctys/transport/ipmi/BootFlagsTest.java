package org.ctys.transport.ipmi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Get System Boot Options' answer for parameter 5 as BMCs send it (version, selector, five data bytes). */
class BootFlagsTest {

    private static byte[] answer(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) b[i] = (byte) bytes[i];
        return b;
    }

    @Test
    void aDeviceSetForTheNextBootIsValidAndNotTheDisk() {
        BootFlags f = BootFlags.parse(answer(0x01, 0x05, 0x80, 0x04, 0, 0, 0));
        assertThat(f.valid()).isTrue();
        assertThat(f.persistent()).isFalse();
        assertThat(f.device()).isEqualTo("pxe");
        assertThat(f.nextBootFromDisk()).isFalse();
        assertThat(f.text()).isEqualTo("next boot from pxe (once)");
    }

    @Test
    void flagsTheBiosHasUsedAreNotValidAndTheNextBootGoesToTheDisk() {
        // the BIOS cleared the valid bit; the selector still names what was used
        BootFlags f = BootFlags.parse(answer(0x01, 0x05, 0x00, 0x14, 0, 0, 0));
        assertThat(f.valid()).isFalse();
        assertThat(f.device()).isEqualTo("cdrom");
        assertThat(f.nextBootFromDisk()).isTrue();
        assertThat(f.text()).isEqualTo("no boot device set (boot flags not valid; last: cdrom)");
    }

    @Test
    void validFlagsNamingTheDiskOrNoDeviceGoToTheDisk() {
        assertThat(BootFlags.parse(answer(0x01, 0x05, 0x80, 0x08, 0, 0, 0)).nextBootFromDisk()).isTrue();
        assertThat(BootFlags.parse(answer(0x01, 0x05, 0x80, 0x00, 0, 0, 0)).nextBootFromDisk()).isTrue();
        BootFlags every = BootFlags.parse(answer(0x01, 0x85, 0xc0, 0x04, 0, 0, 0));
        assertThat(every.persistent()).isTrue();
        assertThat(every.nextBootFromDisk()).isFalse();
        assertThat(every.text()).isEqualTo("every boot from pxe (persistent)");
    }

    @Test
    void aShortAnswerOrAnotherParameterIsRefused() {
        assertThatThrownBy(() -> BootFlags.parse(answer(0x01, 0x05))).hasMessageContaining("2 bytes");
        assertThatThrownBy(() -> BootFlags.parse(answer(0x01, 0x04, 0x80, 0x04))).hasMessageContaining("parameter 4, not 5");
    }
}
