package dev.baton.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Watches a process that is not this one's child until it exits. {@code ProcessHandle.onExit()} does
 * not do for such a process: an exited process waits as a zombie until its new parent (an init)
 * reaps it, and some inits in containers never do, while the JDK counts a zombie as alive.
 */
final class ProcessExit {

    private static final ScheduledExecutorService POLLER = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("demo-exit-watch").factory());
    private static final long POLL_MILLIS = 20;

    private ProcessExit() {}

    /** Completes once {@code pid} has exited (gone, or a zombie). */
    static CompletableFuture<Void> of(long pid) {
        CompletableFuture<Void> exited = new CompletableFuture<>();
        ScheduledFuture<?> poll = POLLER.scheduleWithFixedDelay(() -> {
            if (hasExited(pid)) {
                exited.complete(null);
            }
        }, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
        exited.whenComplete((done, failure) -> poll.cancel(false));
        return exited;
    }

    static boolean hasExited(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            int end = stat.lastIndexOf(')');
            return end > 0 && end + 2 < stat.length() && stat.charAt(end + 2) == 'Z';
        } catch (NoSuchFileException gone) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
