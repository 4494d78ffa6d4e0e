package dev.baton.supervisor;

import dev.baton.internal.os.Descriptors;
import dev.baton.internal.os.Pipes;
import dev.baton.internal.os.SystemCallException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reaps the workers, which the JDK's own reaper does not know (they are not started by
 * {@code ProcessBuilder}): one platform thread waits in {@code poll} on every worker's pidfd and an
 * eventfd that says a worker was added; a readable pidfd means its worker exited, and
 * {@link Worker#reap()} collects its status. So no worker is left a zombie, and a child of this JVM
 * that is not a worker is never touched.
 */
final class Reaper {

    private static final Logger LOG = System.getLogger(Reaper.class.getName());

    private final List<Worker> workers = new CopyOnWriteArrayList<>();
    private final int wakeFd;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean paused;
    private boolean idle;

    Reaper() throws SystemCallException {
        this.wakeFd = Descriptors.newEventFd();
        Thread.ofPlatform().daemon().name("baton-reaper").start(this::run);
    }

    /** Watches {@code worker} from now on, until it has exited and been reaped. */
    void watch(Worker worker) {
        workers.add(worker);
        try {
            Descriptors.signalEventFd(wakeFd);
        } catch (SystemCallException e) {
            throw new IllegalStateException("cannot wake the reaper: " + e.getMessage(), e);
        }
    }

    /**
     * Stops reaping until {@link #resume()}: returns once the reaper thread waits (at most 5 s), so no
     * worker is reaped meanwhile and every pid of a watched worker stays valid (an exited one stays a
     * zombie). For the supervisor's upgrade in place, which hands the pids to its new program image.
     *
     * @return whether the reaper is idle
     */
    boolean pause() {
        lock.lock();
        try {
            paused = true;
        } finally {
            lock.unlock();
        }
        try {
            Descriptors.signalEventFd(wakeFd);
        } catch (SystemCallException e) {
            LOG.log(Level.WARNING, "cannot wake the reaper: " + e.getMessage());
        }
        lock.lock();
        try {
            long left = Duration.ofSeconds(5).toNanos();
            while (!idle && left > 0) {
                left = changed.awaitNanos(left);
            }
            return idle;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return idle;
        } finally {
            lock.unlock();
        }
    }

    /** Reaps again after {@link #pause()}. */
    void resume() {
        lock.lock();
        try {
            paused = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void awaitNotPaused() throws InterruptedException {
        lock.lock();
        try {
            while (paused) {
                idle = true;
                changed.signalAll();
                changed.await();
            }
            idle = false;
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        byte[] counter = new byte[8];
        while (true) {
            try {
                awaitNotPaused();
                List<Worker> watched = List.copyOf(workers);
                int[] fds = new int[watched.size() + 1];
                fds[0] = wakeFd;
                for (int i = 0; i < watched.size(); i++) {
                    fds[i + 1] = watched.get(i).pidfd();
                }
                int ready = Descriptors.awaitReadable(fds, Duration.ofSeconds(5));
                if (ready == 0) {
                    Pipes.read(wakeFd, counter); // resets the eventfd
                } else if (ready > 0) {
                    Worker exited = watched.get(ready - 1);
                    if (exited.reap()) {
                        workers.remove(exited);
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (SystemCallException | RuntimeException e) {
                LOG.log(Level.ERROR, "the worker reaper failed; retrying in 1s: " + e.getMessage(), e);
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }
}
