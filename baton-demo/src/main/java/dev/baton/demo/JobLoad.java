package dev.baton.demo;

/** The demo job's running load, HTTP ({@link HttpJobLoad}) or gRPC ({@link GrpcJobLoad}). */
interface JobLoad extends AutoCloseable {

    /** One line of figures so far, printed every second. */
    String progressLine();

    /** How many distinct pids have answered so far. */
    int pidsSoFar();

    /** Stops the load and reports it; a call in flight at the stop is not a failure. */
    JobReport stop() throws InterruptedException;

    @Override
    void close();
}
