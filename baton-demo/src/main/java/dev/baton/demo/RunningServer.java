package dev.baton.demo;

/** One generation's server, started on its Baton listener and registered with Baton; {@link #close()} stops it. */
interface RunningServer extends AutoCloseable {

    /** Stops the server once Baton has drained it; logs, never throws. */
    @Override
    void close();
}
