package org.ctys.transport.ssh;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.sshd.client.session.ClientSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent is reached from a logged-in session only when a command on that session asked for it:
 * a jump host that opens an agent channel on its own is refused before the agent is touched.
 */
class AgentSocketFactoryTest {
    @TempDir Path dir;

    private static ClientSession session(boolean authenticated, Boolean asked) {
        return (ClientSession) Proxy.newProxyInstance(AgentSocketFactoryTest.class.getClassLoader(), new Class<?>[] {ClientSession.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "isAuthenticated" -> authenticated;
                    case "getAttribute" -> args[0] == AgentSocketFactory.ASKED ? asked : null;
                    case "getRemoteAddress" -> new InetSocketAddress("127.0.0.1", 2222);
                    case "toString" -> "session";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void aLoggedInSessionThatDidNotAskForTheAgentIsRefusedItsAgentChannel() {
        // the socket does not exist: a session let through would fail on connecting, with another message
        AgentSocketFactory f = new AgentSocketFactory(dir.resolve("agent.sock"), Duration.ofSeconds(1), true);
        assertThatThrownBy(() -> f.createClient(session(true, null), null)).isInstanceOf(IOException.class)
                .hasMessage("agent forwarding was not asked for on this session (/127.0.0.1:2222): its agent channel is refused");
        assertThatThrownBy(() -> f.createClient(session(true, Boolean.TRUE), null)).isInstanceOf(IOException.class)
                .message().doesNotContain("not asked");
    }
}
