package org.ctys.bootd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.ctys.grammar.Mac;

/**
 * What iPXE fetches over plain HTTP. {@code /boot.ipxe} chains to the per-MAC script; that one
 * boots the recovery system while a PXE job is pending for the MAC and says {@code exit}
 * otherwise, so the firmware goes on to the next boot device, the disk.
 *
 * <p>THE PXE EXCEPTION: the per-MAC script of a pending job carries the job's token on the kernel
 * command line, in the clear on the LAN, because iPXE here has no HTTPS. The token is good for one
 * fetch of this job's script, from this MAC, until the job expires; pxe-token is deleted at the
 * fetch, and then no reply carries it again.
 */
final class PxeScripts {
    private static final Map<String, String> IPXE = Map.of("Content-Type", "text/plain");

    private final BootdConfig config;
    private final JobStore store;

    PxeScripts(BootdConfig config, JobStore store) {
        this.config = config;
        this.store = store;
    }

    Answer chain() {
        return script("#!ipxe\nchain " + base() + "/ipxe/${net0/mac}\n", null);
    }

    Answer forMac(String text) throws IOException {
        Mac mac = Mac.tryParse(text);
        if (mac == null) return Answer.text(400, null, "not a MAC address");
        for (Job job : store.list()) {
            if (job.state != Job.State.PENDING || job.via != Job.Via.PXE || !job.mac.equals(mac.toString())) continue;
            Optional<String> token = store.pxeTokenOf(job.id);
            if (token.isEmpty()) continue;
            JobTicket t = store.ticket(job, token.get());
            return script("#!ipxe\n"
                    + "echo ctys-bootd: job " + job.id + " for " + job.machine + "\n"
                    + "kernel " + base() + "/recovery/vmlinuz initrd=initrd.img " + config.console().kernelArgument() + " quiet " + t.kernelArguments() + "\n"
                    + "initrd " + base() + "/recovery/initrd.img\n"
                    + "boot\n", job.id);
        }
        return script("#!ipxe\nexit\n", null);
    }

    private String base() {
        return "http://" + config.address() + ":" + config.http().port();
    }

    private static Answer script(String text, String job) {
        return new Answer(200, text.getBytes(StandardCharsets.US_ASCII), job, job == null ? null : "PXE job pending: its token sent",
                IPXE);
    }
}
