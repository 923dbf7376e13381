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
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;

/**
 * Gives MINA's public-key authentication the keys of the user's ssh-agent, and with forwarding
 * on, lets remote commands reach that agent. Only then does the client accept the server's
 * agent channels: a server must not be able to ask our agent to sign unless the user said so.
 * And only on a session where a command asked for it ({@link #ASKED}): MINA accepts an agent
 * channel on every session of a client whose factory offers one, so without that rule a jump
 * host (or a host used only for a forward or a console) could open one and have the user's keys
 * sign for the rest of the run. OpenSSH's {@code ssh -A -J} does not forward to the jump host either.
 */
final class AgentSocketFactory implements SshAgentFactory {
    /** Set on a session when one of its commands asks for the agent (ssh -A on that host). */
    static final AttributeRepository.AttributeKey<Boolean> ASKED = new AttributeRepository.AttributeKey<>();

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
        if (session instanceof ClientSession client && client.isAuthenticated() && !Boolean.TRUE.equals(session.getAttribute(ASKED))) {
            throw new IOException("agent forwarding was not asked for on this session (" + session.getRemoteAddress()
                    + "): its agent channel is refused");
        }
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
