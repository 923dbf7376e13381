package org.ctys.bootd;

import java.nio.file.Path;

/**
 * bootd.yaml (ctys-bootd(8)): the name in the server's certificate and the address it stands for
 * on the machines' network, where the two servers listen, the TLS files, the spool and the image.
 */
record BootdConfig(Path file, String name, String address, Listen https, Listen http, Path certificate, Path key, Path ca,
        Path spool, Path image, SerialConsoleLine console) {

    BootdConfig(Path file, String name, String address, Listen https, Listen http, Path certificate, Path key, Path ca,
                Path spool, Path image) {
        this(file, name, address, https, http, certificate, key, ca, spool, image, SerialConsoleLine.DEFAULT);
    }

    static final Path DEFAULT_FILE = Path.of("/etc/ctys/bootd.yaml");
    static final Listen DEFAULT_HTTPS = new Listen("0.0.0.0", 8443);
    static final Listen DEFAULT_HTTP = new Listen("0.0.0.0", 8080);
    static final Path DEFAULT_SPOOL = Path.of("/var/lib/ctys-bootd");

    /** An address and port to listen on; the port is fixed: the machines are told it. */
    record Listen(String host, int port) {
        @Override
        public String toString() { return (host.contains(":") ? "[" + host + "]" : host) + ":" + port; }
    }

    Path jobs() { return spool.resolve("jobs"); }

    Path media() { return spool.resolve("media"); }
}
