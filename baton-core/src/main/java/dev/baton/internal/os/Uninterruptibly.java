package dev.baton.internal.os;

/**
 * Waits that must not be cut short by an interrupt: a caller that went on would lose a child process or close
 * what it is still using. The interrupt is kept for later (the thread's flag is set again once the wait is over).
 */
public final class Uninterruptibly {

    /** A blocking wait, such as {@code Thread::join} or {@code Process::waitFor}. */
    @FunctionalInterface
    public interface Wait {
        void await() throws InterruptedException;
    }

    private Uninterruptibly() {}

    /** Runs {@code wait} to its end, again after each interrupt. */
    public static void await(Wait wait) {
        boolean interrupted = false;
        while (true) {
            try {
                wait.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
