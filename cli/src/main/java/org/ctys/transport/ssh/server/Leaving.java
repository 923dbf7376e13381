package org.ctys.transport.ssh.server;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelListener;

/**
 * The channels of sessions not closed yet: from their handler's start until their close went both
 * ways, the exit status with it. Closing the front door waits for them (bounded): stopping the
 * server at once would drop a status already given, or about to be, and OpenSSH's client would
 * exit 255 instead of it.
 */
final class Leaving {
    private final Set<Channel> channels = new HashSet<>();

    /** Called when the session's handler starts; the channel's close takes it out. */
    void add(Channel channel) {
        synchronized (this) {
            channels.add(channel);
        }
        channel.addChannelListener(new ChannelListener() {
            @Override
            public void channelClosed(Channel c, Throwable reason) {
                gone(c);
            }
        });
        if (channel.isClosed()) gone(channel); // closed before the listener was in place
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
