package dev.baton.load;

/** The entry point of the closed-loop load generator: starts runs. */
public final class LoadGenerator {

    private LoadGenerator() {
    }

    /**
     * Starts a load run in the background: {@code options.connections()} workers, each sending
     * requests one after the other on its own connection.
     *
     * @throws NullPointerException if {@code options} is null
     */
    public static LoadRun start(LoadOptions options) {
        if (options == null) {
            throw new NullPointerException("options must not be null");
        }
        return LoadEngine.start(options);
    }

    /**
     * Runs a load to its end and returns its report: {@link #start(LoadOptions)} then
     * {@link LoadRun#awaitEnd()}; if interrupted, the run is stopped first.
     *
     * @throws NullPointerException if {@code options} is null
     * @throws InterruptedException if the calling thread is interrupted while waiting
     * @throws IllegalStateException if a worker failed with an unexpected error
     */
    public static LoadReport run(LoadOptions options) throws InterruptedException {
        try (LoadRun run = start(options)) {
            return run.awaitEnd();
        }
    }
}
