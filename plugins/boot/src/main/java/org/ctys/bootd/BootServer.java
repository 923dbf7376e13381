package org.ctys.bootd;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The two listeners: HTTPS (the site's certificate; scripts out, results in, each behind its job's
 * token) and plain HTTP (what PXE firmware fetches before TLS exists: the iPXE scripts and the
 * recovery kernel and initrd). The spool is read on every request, so jobs added while the
 * daemon runs are served at once. One log line per request, never with a token or a script.
 */
final class BootServer {
    private static final Pattern JOB = Pattern.compile("/job/([^/]{1,64})/(script|result)");
    private static final Pattern IPXE = Pattern.compile("/ipxe/([^/]{1,64})");
    /** Requests served at once per listener. */
    static final int WORKERS = 32;

    private final BootdConfig config;
    private final JobStore store;
    private final TokenRules rules;
    private final PxeScripts pxe;
    private final Say say;
    private HttpsServer https;
    private HttpServer http;
    private ExecutorService httpsWorkers;
    private ExecutorService httpWorkers;

    BootServer(BootdConfig config, JobStore store, Say say) {
        this.config = config;
        this.store = store;
        this.rules = new TokenRules(store);
        this.pxe = new PxeScripts(config, store);
        this.say = say;
    }

    /** Binds both ports (an error names the address) and starts serving. */
    void start(SSLContext tls) throws IOException {
        // a pool per listener: the JDK's server reads a request (and the TLS handshake) on a worker, so
        // clients that stall in their request hold workers until maxReqTime, and anyone who reaches the
        // plain-HTTP port (no token needed) must not be able to take the HTTPS side's workers that way
        httpsWorkers = workers("ctys-bootd-https");
        httpWorkers = workers("ctys-bootd-http");
        https = HttpsServer.create();
        bind(https, "https", config.https());
        https.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters p) {
                SSLParameters sp = tls.getDefaultSSLParameters();
                sp.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                p.setSSLParameters(sp);
            }
        });
        https.createContext("/", logged(this::secure));
        https.setExecutor(httpsWorkers);
        http = HttpServer.create();
        bind(http, "http", config.http());
        http.createContext("/", logged(this::plain));
        http.setExecutor(httpWorkers);
        https.start();
        http.start();
    }

    /** Workers of one listener; each waits at most maxReqTime for a stalled client's request. */
    private static ExecutorService workers(String name) {
        return Executors.newFixedThreadPool(WORKERS, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** An error names which listener could not bind. */
    private static void bind(HttpServer server, String what, BootdConfig.Listen l) throws IOException {
        try {
            server.bind(new InetSocketAddress(l.host(), l.port()), 64);
        } catch (IOException e) {
            throw new IOException(what + " " + l + ": " + e.getMessage(), e);
        }
    }

    void stop() {
        if (https != null) https.stop(1);
        if (http != null) http.stop(1);
        if (httpsWorkers != null) httpsWorkers.shutdownNow();
        if (httpWorkers != null) httpWorkers.shutdownNow();
    }

    /** HTTPS: GET /job/ID/script, POST /job/ID/result. */
    private Answer secure(HttpExchange x) throws IOException {
        Matcher m = JOB.matcher(x.getRequestURI().getRawPath());
        if (!m.matches()) return Answer.text(404, null, "not found");
        String id = m.group(1);
        String token = bearer(x.getRequestHeaders().getFirst("Authorization"));
        String mac = x.getRequestHeaders().getFirst("X-Ctys-Mac");
        String from = x.getRemoteAddress().getAddress().getHostAddress();
        if (m.group(2).equals("script")) {
            if (!x.getRequestMethod().equals("GET")) return Answer.text(405, null, "GET only");
            return rules.fetch(id, token, mac, from);
        }
        if (!x.getRequestMethod().equals("POST")) return Answer.text(405, null, "POST only");
        try (InputStream body = x.getRequestBody()) {
            return rules.post(id, token, mac, from, body);
        }
    }

    private static String bearer(String header) {
        if (header == null) return null;
        String h = header.strip();
        return h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).strip() : null;
    }

    /** Plain HTTP: /boot.ipxe, /ipxe/MAC, /recovery/vmlinuz, /recovery/initrd.img. */
    private Answer plain(HttpExchange x) throws IOException {
        if (!x.getRequestMethod().equals("GET")) return Answer.text(405, null, "GET only");
        String path = x.getRequestURI().getRawPath();
        if (path.equals("/boot.ipxe")) return pxe.chain();
        Matcher m = IPXE.matcher(path);
        // iPXE expands ${net0/mac} percent-encoded in a URL (52%3A54%3A00...)
        if (m.matches()) {
            String mac;
            try {
                mac = java.net.URLDecoder.decode(m.group(1), java.nio.charset.StandardCharsets.US_ASCII);
            } catch (IllegalArgumentException e) {
                return Answer.text(400, null, "not a MAC address");
            }
            return pxe.forMac(mac);
        }
        if (path.equals("/recovery/vmlinuz") || path.equals("/recovery/initrd.img")) return null;
        return Answer.text(404, null, "not found");
    }

    /** The image files are streamed, not held: an initrd is tens of MiB. */
    private void sendImage(HttpExchange x, Path file, RequestLine line) throws IOException {
        if (!Files.isRegularFile(file)) {
            send(x, Answer.text(404, null, "no recovery image: run ctys-bootd --build-image"), line);
            return;
        }
        long size = Files.size(file);
        x.getResponseHeaders().set("Content-Type", "application/octet-stream");
        x.sendResponseHeaders(200, size);
        try (OutputStream out = x.getResponseBody(); InputStream in = Files.newInputStream(file)) {
            in.transferTo(out);
        }
        line.done(200, null, null);
    }

    interface Route {
        Answer answer(HttpExchange x) throws IOException;
    }

    /** What one request does, and its one log line whatever happens. */
    private HttpHandler logged(Route route) {
        return x -> {
            RequestLine line = new RequestLine(x);
            try {
                String path = x.getRequestURI().getRawPath();
                Answer a = route.answer(x);
                if (a == null) sendImage(x, config.image().resolve(path.substring("/recovery/".length())), line);
                else send(x, a, line);
            } catch (IOException | RuntimeException e) {
                line.done(500, null, "failed: " + e.getClass().getSimpleName());
                try {
                    x.sendResponseHeaders(500, -1);
                } catch (IOException | RuntimeException ignored) {
                    // the client is gone or the answer was begun
                }
            } finally {
                x.close();
            }
        };
    }

    private static void send(HttpExchange x, Answer a, RequestLine line) throws IOException {
        for (Map.Entry<String, String> h : a.headers().entrySet()) x.getResponseHeaders().set(h.getKey(), h.getValue());
        if (!a.headers().containsKey("Content-Type")) x.getResponseHeaders().set("Content-Type", "text/plain");
        x.sendResponseHeaders(a.status(), a.body().length == 0 ? -1 : a.body().length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(a.body());
        }
        line.done(a.status(), a.job(), a.reason());
    }

    /** One request's log line: time, source, method, path, status, job, why. Paths never carry a token. */
    private final class RequestLine {
        private final Instant at = Instant.now();
        private final String from;
        private final String method;
        private final String path;
        private final String scheme;
        private boolean written;

        RequestLine(HttpExchange x) {
            this.from = x.getRemoteAddress().getAddress().getHostAddress();
            this.method = x.getRequestMethod();
            this.path = x.getRequestURI().getRawPath();
            this.scheme = x instanceof com.sun.net.httpserver.HttpsExchange ? "https" : "http";
        }

        void done(int status, String job, String reason) {
            if (written) return;
            written = true;
            say.line(at + " " + from + " " + scheme + " " + printable(method, 16) + " " + printable(path, 200) + " " + status
                    + (job != null ? " job " + job : "") + (reason != null ? " (" + reason + ")" : ""));
        }

        /** Printable ASCII only (a method or path is the client's: no control characters, no line of its own), at most {@code max}. */
        private static String printable(String s, int max) {
            StringBuilder b = new StringBuilder();
            for (char c : s.toCharArray()) b.append(c < 0x21 || c > 0x7e ? '?' : c);
            return b.length() > max ? b.substring(0, max) + "..." : b.toString();
        }
    }

    int httpsPort() { return https.getAddress().getPort(); }

    int httpPort() { return http.getAddress().getPort(); }
}
