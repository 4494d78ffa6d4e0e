package dev.baton.demo;

/**
 * Stops what a job started if the JVM exits before the job is done (Ctrl-C, SIGTERM): the JVM then runs its
 * shutdown hooks but no {@code finally} block of the job's thread, and the demo server (or the supervisor
 * and its worker) would go on running, orphaned, on its port. Closed once the job stops it itself.
 */
final class StopOnExit implements AutoCloseable {

    /** What the hook runs; it may be interrupted. */
    interface Stop {
        void run() throws InterruptedException;
    }

    private final Thread hook;

    private StopOnExit(Thread hook) {
        this.hook = hook;
    }

    static StopOnExit register(String what, Stop stop) {
        Thread hook = Thread.ofPlatform().name("stop-on-exit").unstarted(() -> {
            System.err.println("Exiting before the job is done: stopping " + what);
            try {
                stop.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        return new StopOnExit(hook);
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException exiting) {
            // the JVM is exiting: the hook runs (or ran) and stops it
        }
    }
}
