package org.ctys.bootd;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.ctys.testkit.SiteCa;

/**
 * The HTTPS side of one job as the recovery system sees it (the real daemon is ctys-bootd's):
 * {@code GET /job/ID/script} answers the script to the right token, with a fresh result token in
 * its {@link TokenRules#RESULT_TOKEN} header, and {@code POST /job/ID/result} takes the result with
 * that one; every request that reaches a handler is recorded with its headers and body.
 */
final class ScriptServer implements AutoCloseable {
    /** One request as the handler saw it. */
    record Request(String method, String path, String authorization, String mac, String body) {}

    private final HttpsServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final String job;
    private final String token;
    private final String script;
    private final String resultToken = Token.create();

    ScriptServer(SiteCa.Server certificate, String job, String token, String script) throws Exception {
        this.job = job;
        this.token = token;
        this.script = script;
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.setHttpsConfigurator(new HttpsConfigurator(tls(certificate)));
        server.createContext("/", this::handle);
        server.start();
    }

    int port() { return server.getAddress().getPort(); }

    /** The token the script's answer gives for the result. */
    String resultToken() { return resultToken; }

    List<Request> requests() { return List.copyOf(requests); }

    private void handle(HttpExchange x) throws IOException {
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = x.getRequestURI().getPath();
        String authorization = x.getRequestHeaders().getFirst("Authorization");
        requests.add(new Request(x.getRequestMethod(), path, authorization, x.getRequestHeaders().getFirst("X-Ctys-Mac"), body));
        boolean fetch = x.getRequestMethod().equals("GET") && path.equals("/job/" + job + "/script");
        boolean post = x.getRequestMethod().equals("POST") && path.equals("/job/" + job + "/result");
        if (!("Bearer " + (post ? resultToken : token)).equals(authorization)) {
            answer(x, 403, "wrong token\n");
        } else if (fetch) {
            x.getResponseHeaders().set(TokenRules.RESULT_TOKEN, resultToken);
            answer(x, 200, script);
        } else if (post) {
            answer(x, 200, "ok\n");
        } else {
            answer(x, 404, "no such thing\n");
        }
    }

    private static void answer(HttpExchange x, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "text/plain");
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static SSLContext tls(SiteCa.Server server) throws Exception {
        Certificate cert;
        try (var in = Files.newInputStream(server.certificate())) {
            cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pem(server.key())));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", key, new char[0], new Certificate[] {cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    private static byte[] pem(Path file) throws IOException {
        String text = Files.readString(file).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(text);
    }

    @Override
    public void close() {
        server.stop(0);
    }

}
