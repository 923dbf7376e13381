package org.ctys.engine.run;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stops a local child and everything it started, and waits for them: a stopped ctys leaves no
 * orphan behind. SIGTERM first, so that a command may clean up, SIGKILL for what is still there
 * after a short grace.
 */
public final class Children {
    private static final long GRACE_MILLIS = 1000;

    private Children() {}

    public static void stop(Process process) {
        // the descendants are listed before anything is signalled: a child whose parent died is
        // re-parented and would no longer be found
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(0, process.toHandle());
        all.forEach(ProcessHandle::destroy);
        if (!awaitAll(all, GRACE_MILLIS)) {
            all.forEach(ProcessHandle::destroyForcibly);
            awaitAll(all, GRACE_MILLIS);
        }
    }

    private static boolean awaitAll(List<ProcessHandle> all, long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (ProcessHandle h : all) {
            long left = deadline - System.nanoTime();
            try {
                if (left <= 0) return !all.stream().anyMatch(ProcessHandle::isAlive);
                h.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                return false;
            } catch (java.util.concurrent.ExecutionException e) {
                // onExit does not fail; nothing to wait for
            } catch (InterruptedException e) {
                // already stopping: keep the interrupt for the caller, wait no longer
                Thread.currentThread().interrupt();
                return !all.stream().anyMatch(ProcessHandle::isAlive);
            }
        }
        return true;
    }
}
