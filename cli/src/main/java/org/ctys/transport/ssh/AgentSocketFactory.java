package org.ctys.transport.ssh;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.agent.SshAgent;
import org.apache.sshd.agent.SshAgentFactory;
import org.apache.sshd.agent.SshAgentServer;
import org.apache.sshd.agent.local.LocalAgentFactory;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;

/**
 * Gives MINA's public-key authentication the keys of the user's ssh-agent, and with forwarding
 * on, lets remote commands reach that agent. Only then does the client accept the server's
 * agent channels: a server must not be able to ask our agent to sign unless the user said so.
 */
final class AgentSocketFactory implements SshAgentFactory {

    private final Path socket;
    private final Duration timeout;
    private final boolean forward;
    private final AtomicReference<IOException> unreachable = new AtomicReference<>();

    AgentSocketFactory(Path socket, Duration timeout, boolean forward) {
        this.socket = socket;
        this.timeout = timeout;
        this.forward = forward;
    }

    Path socket() {
        return socket;
    }

    /** Why the agent could not be reached on the last attempt; null if it was. */
    IOException unreachable() {
        return unreachable.get();
    }

    @Override
    public List<ChannelFactory> getChannelForwardingFactories(FactoryManager manager) {
        return forward ? LocalAgentFactory.DEFAULT_FORWARDING_CHANNELS : List.of();
    }

    /**
     * During login an agent that cannot be reached leaves the identity files to try, as with
     * OpenSSH; the reason is kept for the message should they fail too. For a forwarded agent
     * channel the failure refuses that channel.
     */
    @Override
    public SshAgent createClient(Session session, FactoryManager manager) throws IOException {
        try {
            UnixAgent agent = UnixAgent.connect(socket, timeout);
            unreachable.set(null);
            return agent;
        } catch (IOException | RuntimeException e) {
            IOException why = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
            unreachable.set(why);
            if (session instanceof ClientSession client && !client.isAuthenticated()) {
                return null;
            }
            throw why;
        }
    }

    @Override
    public SshAgentServer createServer(ConnectionService service) throws IOException {
        // the server side of agent forwarding: a client is never asked to serve it
        throw new IOException("ctys is an SSH client and serves no agent to its peers");
    }
}
