package org.ctys.transport.ssh.server;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.server.session.ServerSession;

/**
 * The connections that have not logged in yet, bounded as OpenSSH's sshd bounds them (MaxStartups
 * and LoginGraceTime). A connection counts from its accept until its login succeeds or it closes;
 * logged-in connections are never counted, nor closed here.
 * <ul>
 * <li>Beyond {@link Limits#begin()} waiting, a new connection is refused with a probability that
 *     rises from {@link Limits#rate()} % to 100 % at {@link Limits#full()}; from there on every one is.
 *     A refused connection is closed as it is created: before the server's version line, before any
 *     key exchange.
 * <li>A connection not logged in {@link Limits#grace()} after its accept is closed, whatever it sent
 *     meanwhile: nothing, a version line, a key exchange, requests for the authentication service.
 *     (MINA's own auth timeout starts again at each such request, so a client could stay forever.)
 * </ul>
 * Both are events, a line for the first and then a line a minute at most ({@link Tally}).
 */
final class Startups implements SessionListener, AutoCloseable {
    /**
     * sshd's MaxStartups begin:rate:full and its LoginGraceTime.
     *
     * @param begin waiting connections from which new ones are refused at random
     * @param rate  the percentage refused there, rising to 100 at full
     * @param full  waiting connections from which every new one is refused
     * @param grace how long a connection may wait for its login
     */
    record Limits(int begin, int rate, int full, Duration grace) {
        /**
         * One user's whole allowance of connections ({@link SshFrontDoor#MAX_CONNECTIONS_PER_USER})
         * may log in at once, a script's fan-out, before any is refused; at four allowances every
         * new one is. A connection waiting costs a descriptor and some tens of KiB (MINA's read
         * buffer, the key exchange's state), no thread: sshd's 10:30:100 is for a process each. A
         * minute to log in leaves time to answer ssh's host-key question or type a key's
         * passphrase, and holds a flood's connection half as long as sshd's 120 s.
         */
        static final Limits DEFAULT = new Limits(SshFrontDoor.MAX_CONNECTIONS_PER_USER, 30, 256, Duration.ofSeconds(60));

        Limits {
            if (begin < 1 || full < begin) throw new IllegalArgumentException("startups must be 1 <= begin <= full: " + begin + ":" + full);
            if (rate < 0 || rate > 100) throw new IllegalArgumentException("startups rate must be 0..100: " + rate);
            if (grace == null || grace.isNegative() || grace.isZero()) throw new IllegalArgumentException("login grace time must be positive: " + grace);
        }

        /** Whether a new connection is refused with {@code waiting} connections waiting; draw: 0..99 at random (sshd's drop_connection). */
        boolean refuses(int waiting, int draw) {
            if (waiting < begin) return false;
            if (waiting >= full) return true;
            int percent = rate + (100 - rate) * (waiting - begin) / (full - begin);
            return draw < percent;
        }

        /** "64:30:256" as sshd_config writes it. */
        String startups() {
            return begin + ":" + rate + ":" + full;
        }
    }

    /** A connection's place among the waiting: given up once, at its login or its close. */
    private static final class Place {
        final AtomicBoolean held = new AtomicBoolean(true);
        volatile ScheduledFuture<?> grace;
        volatile boolean keyed;
    }

    private static final AttributeKey<Place> PLACE = new AttributeKey<>();

    private final Limits limits;
    private final AtomicInteger waiting = new AtomicInteger();
    private final ScheduledThreadPoolExecutor timer;
    private final Tally refused;
    private final Tally late;

    Startups(Limits limits, Consumer<String> events) {
        this.limits = limits;
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "ctys-door-startups");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true); // a login cancels its grace timer: it must not stay queued for the grace time
        this.refused = new Tally("connection refused", "connections refused", timer, events);
        this.late = new Tally("connection closed without a login", "connections closed without a login", timer, events);
    }

    /** Connections accepted and not logged in yet. */
    int waiting() {
        return waiting.get();
    }

    /**
     * Takes a place for the new connection or refuses it: the exception makes MINA close the socket
     * before the session has sent anything (its acceptor closes a connection whose session cannot
     * be created).
     */
    @Override
    public void sessionCreated(Session session) {
        if (!(session instanceof ServerSession s)) return;
        int n;
        do {
            n = waiting.get();
            if (limits.refuses(n, ThreadLocalRandom.current().nextInt(100))) {
                refused.note("refused a connection from " + Events.address(s.getClientAddress()) + ": " + n
                        + " connections are waiting to log in (startups " + limits.startups() + ")");
                throw new IllegalStateException("too many connections waiting to log in");
            }
        } while (!waiting.compareAndSet(n, n + 1));
        Place place = new Place();
        s.setAttribute(PLACE, place);
        place.grace = timer.schedule(() -> tooLate(s, place), limits.grace().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void sessionEvent(Session session, Event event) {
        if (event == Event.Authenticated) {
            leave(session);
        } else if (event == Event.KeyEstablished) {
            Place place = session.getAttribute(PLACE);
            if (place != null) place.keyed = true;
        }
    }

    @Override
    public void sessionClosed(Session session) {
        leave(session);
    }

    private void leave(Session session) {
        Place place = session.getAttribute(PLACE);
        if (place == null || !place.held.compareAndSet(true, false)) return;
        waiting.decrementAndGet();
        ScheduledFuture<?> grace = place.grace;
        if (grace != null) grace.cancel(false);
    }

    /**
     * Closes a connection that has not logged in within the grace time; one whose keys are
     * established is told why first (ssh prints it), one without keys has nobody to tell.
     */
    private void tooLate(ServerSession s, Place place) {
        if (!place.held.get() || s.isAuthenticated()) return;
        String seconds = limits.grace().toSeconds() + " s";
        late.note("closed the connection from " + Events.address(s.getClientAddress()) + ": no login within " + seconds);
        if (place.keyed) {
            try {
                s.disconnect(SshConstants.SSH2_DISCONNECT_BY_APPLICATION, "no login within " + seconds);
                return;
            } catch (IOException | RuntimeException e) {
                // closed below
            }
        }
        s.close(true);
    }

    /** Says what the tallies still counted; no grace timer runs after this. */
    @Override
    public void close() {
        timer.shutdownNow();
        refused.flush();
        late.flush();
    }
}
