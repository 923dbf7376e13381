package org.ctys.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The agent protocol as carried over the Unix socket, against a scripted agent. */
@Timeout(30)
class UnixAgentTest {

    private Path dir;
    private Path socket;
    private ServerSocketChannel server;
    private final List<byte[]> requests = new ArrayList<>();
    private CompletableFuture<Void> served;

    @BeforeEach
    void bind() throws IOException {
        dir = Files.createTempDirectory("ctys-agent");
        socket = dir.resolve("sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
    }

    @AfterEach
    void unbind() throws IOException {
        server.close();
        Files.deleteIfExists(socket);
        Files.deleteIfExists(dir);
    }

    /** Answers each request with what {@code answer} makes of it; null: close without answering. */
    private void serve(Function<Buffer, byte[]> answer) {
        served = CompletableFuture.runAsync(() -> {
            try (SocketChannel c = server.accept()) {
                while (true) {
                    ByteBuffer length = ByteBuffer.allocate(4);
                    if (!fill(c, length)) {
                        return;
                    }
                    ByteBuffer body = ByteBuffer.allocate(length.flip().getInt());
                    fill(c, body);
                    synchronized (requests) {
                        requests.add(body.array());
                    }
                    byte[] reply = answer.apply(new ByteArrayBuffer(body.array()));
                    if (reply == null) {
                        return;
                    }
                    c.write(ByteBuffer.wrap(reply));
                }
            } catch (IOException e) {
                // the test closed the agent
            }
        });
    }

    private static boolean fill(SocketChannel c, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (c.read(b) < 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] message(Buffer payload) {
        byte[] body = payload.getCompactData();
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(1024);
        return g.generateKeyPair();
    }

    @Test
    void listsTheAgentsIdentities() throws Exception {
        KeyPair key = rsa();
        serve(request -> {
            assertThat(request.getUByte()).isEqualTo(11);
            Buffer answer = new ByteArrayBuffer();
            answer.putByte((byte) 12);
            answer.putUInt(1);
            answer.putPublicKey(key.getPublic());
            answer.putString("the comment");
            return message(answer);
        });

        try (UnixAgent agent = UnixAgent.connect(socket, Duration.ofSeconds(5))) {
            List<Map.Entry<PublicKey, String>> ids = new ArrayList<>();
            agent.getIdentities().forEach(ids::add);

            assertThat(ids).hasSize(1);
            assertThat(ids.get(0).getKey()).isEqualTo(key.getPublic());
            assertThat(ids.get(0).getValue()).isEqualTo("the comment");
        }
    }

    @Test
    void signRequestsCarryTheFlagForTheRsaSha2AlgorithmAsked() throws Exception {
        KeyPair key = rsa();
        serve(request -> {
            request.getUByte();
            request.getBytes(); // key blob
            request.getBytes(); // data
            long flags = request.getUInt();
            String algorithm = flags == 4 ? "rsa-sha2-512" : flags == 2 ? "rsa-sha2-256" : "ssh-rsa";
            Buffer signature = new ByteArrayBuffer();
            signature.putString(algorithm);
            signature.putBytes(new byte[] {1, 2, 3});
            Buffer answer = new ByteArrayBuffer();
            answer.putByte((byte) 14);
            answer.putBytes(signature.getCompactData());
            return message(answer);
        });

        try (UnixAgent agent = UnixAgent.connect(socket, Duration.ofSeconds(5))) {
            Map.Entry<String, byte[]> sha512 = agent.sign(null, key.getPublic(), "rsa-sha2-512", new byte[] {9});
            Map.Entry<String, byte[]> sha256 = agent.sign(null, key.getPublic(), "rsa-sha2-256", new byte[] {9});

            assertThat(sha512.getKey()).isEqualTo("rsa-sha2-512");
            assertThat(sha256.getKey()).isEqualTo("rsa-sha2-256");
            assertThat(sha256.getValue()).containsExactly(1, 2, 3);
        }
        assertThat(requests).hasSize(2).allSatisfy(r -> assertThat(r[0]).isEqualTo((byte) 13));
    }

    @Test
    void anAgentThatHangsUpIsAnErrorNamingTheSocket() throws Exception {
        serve(request -> null);

        try (UnixAgent agent = UnixAgent.connect(socket, Duration.ofSeconds(5))) {
            assertThatThrownBy(agent::getIdentities).isInstanceOf(IOException.class)
                    .hasMessageContaining(socket.toString()).hasMessageContaining("closed the connection");
        }
    }

    @Test
    void anAgentThatNeverAnswersTimesOut() throws Exception {
        serve(request -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        long start = System.nanoTime();

        try (UnixAgent agent = UnixAgent.connect(socket, Duration.ofMillis(300))) {
            assertThatThrownBy(agent::getIdentities).isInstanceOf(IOException.class).hasMessageContaining("did not answer");
        }
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(3));
    }

    @Test
    void anOversizedAnswerIsRefused() throws Exception {
        serve(request -> ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array());

        try (UnixAgent agent = UnixAgent.connect(socket, Duration.ofSeconds(5))) {
            assertThatThrownBy(agent::getIdentities).isInstanceOf(IOException.class).hasMessageContaining("bytes");
        }
    }

    @Test
    void noAgentAtThePathFailsToConnect() {
        assertThatThrownBy(() -> UnixAgent.connect(dir.resolve("nothing"), Duration.ofSeconds(1))).isInstanceOf(IOException.class);
    }
}
