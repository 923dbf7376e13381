package org.ctys.bootd;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the recovery system needs to fetch its job's script: where the server is (its certificate's
 * name, the address that name stands for, the HTTPS port), the job, the machine's MAC and the
 * job's one-time token. It reaches the machine on a PXE boot's kernel command line
 * ({@link #kernelArguments()}) or, on the CD path, as a file in the per-machine image
 * ({@link #jobFile()}, {@code /etc/ctys/job}); the recovery system's /init reads either.
 */
public record JobTicket(String name, String address, int port, String job, String mac, String token, boolean keep) {
    /** A ticket whose machine powers off after posting its result. */
    public JobTicket(String name, String address, int port, String job, String mac, String token) {
        this(name, address, port, job, mac, token, false);
    }

    /** Host names, addresses, job ids, MACs and tokens: nothing a shell or a kernel command line would split. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._:-]+");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]+");

    public JobTicket {
        for (String v : new String[] {name, address, job, mac}) {
            if (v == null || !PLAIN.matcher(v).matches()) throw new IllegalArgumentException("not a plain word: '" + v + "'");
        }
        if (token == null || !TOKEN.matcher(token).matches()) throw new IllegalArgumentException("a token is base64url");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port + " is not 1-65535");
    }

    /** key=value pairs in this order: url, addr, job, mac, token, and keep=1 when the machine stays up after its result (KEEP). */
    public Map<String, String> values() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("url", "https://" + name + ":" + port);
        v.put("addr", address);
        v.put("job", job);
        v.put("mac", mac);
        v.put("token", token);
        if (keep) v.put("keep", "1");
        return v;
    }

    /** {@code ctys.url=https://NAME:PORT ctys.addr=ADDRESS ctys.job=ID ctys.mac=MAC ctys.token=TOKEN [ctys.keep=1]}. */
    public String kernelArguments() {
        StringBuilder s = new StringBuilder();
        values().forEach((k, v) -> s.append(s.length() == 0 ? "" : " ").append("ctys.").append(k).append('=').append(v));
        return s.toString();
    }

    /** The same pairs as lines {@code key=value}, for /etc/ctys/job of a per-machine image. */
    public String jobFile() {
        StringBuilder s = new StringBuilder();
        values().forEach((k, v) -> s.append(k).append('=').append(v).append('\n'));
        return s.toString();
    }

    /**
     * What writes a per-machine CD image: the recovery image plus this ticket, or (empty) an image
     * that says there is no job and powers the machine off.
     */
    public interface Media {
        void write(Path iso, Optional<JobTicket> ticket) throws java.io.IOException;
    }
}
