package org.ctys.transport.ssh.server;

import java.io.IOException;
import java.util.Map;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.channel.PtyMode;
import org.apache.sshd.common.channel.RequestHandler;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.channel.ChannelSession;

/**
 * A session channel of the front door: MINA's own, except that it remembers whether the client
 * asked for a pseudo terminal (an {@code env} request could otherwise fake one through TERM),
 * refuses {@code env} requests (the sessions run no program that could read them), refuses
 * subsystems (sftp) without MINA's warning in the daemon's log (the client is told, that is
 * enough), and resumes standard error too when the client's window opens.
 */
final class DoorChannel extends ChannelSession {
    /** The only channel type the front door opens: no direct-tcpip, no forwarded ones. */
    static final ChannelFactory FACTORY = new ChannelFactory() {
        @Override
        public String getName() {
            return "session";
        }

        @Override
        public Channel createChannel(Session session) {
            return new DoorChannel();
        }
    };

    private volatile boolean terminal;

    boolean terminal() {
        return terminal;
    }

    @Override
    protected RequestHandler.Result handlePtyReqParsed(String term, int columns, int rows, int width, int height,
                                                       Map<PtyMode, Integer> modes) throws IOException {
        terminal = true;
        return super.handlePtyReqParsed(term, columns, rows, width, height, modes);
    }

    /**
     * MINA resumes only the standard output's non-blocking stream when the client opens its
     * window; standard error (its own stream without a pseudo terminal) waiting for window space
     * would wait for good.
     */
    @Override
    public void handleWindowAdjust(Buffer buffer) throws IOException {
        super.handleWindowAdjust(buffer);
        if (asyncErr != null) asyncErr.onWindowExpanded();
    }

    @Override
    protected RequestHandler.Result handleEnvParsed(String name, String value) {
        return RequestHandler.Result.ReplyFailure;
    }

    @Override
    protected RequestHandler.Result handleSubsystemParsed(String request, String subsystem) {
        return RequestHandler.Result.ReplyFailure;
    }
}
