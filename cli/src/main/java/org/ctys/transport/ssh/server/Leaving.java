package org.ctys.transport.ssh.server;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.channel.Channel;

/**
 * The channels of sessions not closed yet: from their handler's start until their close went both
 * ways, the exit status with it. Closing the front door waits for them (bounded): stopping the
 * server at once would drop a status already given, or about to be, and OpenSSH's client would
 * exit 255 instead of it.
 */
final class Leaving {
    private final Set<Channel> channels = new HashSet<>();

    /**
     * Called when the session's handler starts; the channel's close future takes it out. Not a
     * {@code ChannelListener}: MINA calls its {@code channelClosed} when the close begins (before
     * SSH_MSG_CHANNEL_CLOSE is even sent), and the door then stopped the server under a status on its
     * way out (ConsoledIT, ssh exit 255 instead of 1). The close future is done once the close went both
     * ways, or MINA gave up waiting for the client's.
     */
    void add(Channel channel) {
        synchronized (this) {
            channels.add(channel);
        }
        channel.addCloseFutureListener(closed -> gone(channel)); // at once when the channel is closed already
    }

    private synchronized void gone(Channel channel) {
        if (channels.remove(channel)) notifyAll();
    }

    /** Waits until every leaving channel is closed or {@code limit} has passed; true when all closed. */
    synchronized boolean await(Duration limit) throws InterruptedException {
        long until = System.nanoTime() + limit.toNanos();
        while (!channels.isEmpty()) {
            long left = until - System.nanoTime();
            if (left <= 0) return false;
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
