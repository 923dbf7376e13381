package org.ctys.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiteCaTest {
    @TempDir Path dir;

    @Test
    void aServerCertificateVerifiesAgainstItsCaForItsNameOnlyAndNotAgainstAnotherCa() {
        SiteCa ca = SiteCa.create(dir.resolve("ca"), "Test Site CA");
        SiteCa other = SiteCa.create(dir.resolve("other"), "Other CA");
        SiteCa.Server boot = ca.issue("boot.example");

        assertThat(Proc.run(Proc.SETUP_LIMIT, java.util.List.of("openssl", "verify", "-CAfile", ca.certificate().toString(),
                "-verify_hostname", "boot.example", boot.certificate().toString())).exit()).isZero();
        assertThat(Proc.run(Proc.SETUP_LIMIT, java.util.List.of("openssl", "verify", "-CAfile", ca.certificate().toString(),
                "-verify_hostname", "other.example", boot.certificate().toString())).exit()).isNotZero();
        assertThat(Proc.run(Proc.SETUP_LIMIT, java.util.List.of("openssl", "verify", "-CAfile", other.certificate().toString(),
                "-verify_hostname", "boot.example", boot.certificate().toString())).exit()).isNotZero();
    }
}
