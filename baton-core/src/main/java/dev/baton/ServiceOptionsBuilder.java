package dev.baton;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The builder of the settings both modes share, with their defaults: the in-process generation's
 * ({@link BatonOptions.Builder}) and the supervisor's ({@code SupervisorOptions.Builder}) extend it, so
 * that each shared setting has one setter, one name and one default. Not for applications to extend.
 *
 * @param <B> the concrete builder, which each setter returns for chaining
 */
public abstract class ServiceOptionsBuilder<B extends ServiceOptionsBuilder<B>> {

    protected String name = BatonOptions.DEFAULT_NAME;
    protected Path controlDirectory;
    protected Path pidFile;
    protected Duration readyTimeout = BatonOptions.DEFAULT_READY_TIMEOUT;
    protected Duration drainTimeout = BatonOptions.DEFAULT_DRAIN_TIMEOUT;
    protected int maxDrainingGenerations = BatonOptions.DEFAULT_MAX_DRAINING_GENERATIONS;
    protected int backlog = BatonOptions.DEFAULT_BACKLOG;
    protected Duration shutdownDelay = BatonOptions.DEFAULT_SHUTDOWN_DELAY;
    protected Path aotCache;

    /**
     * Where Baton keeps the JDK's AOT cache of the service's command line, so that a new generation (or
     * worker) starts from it; null for {@code $BATON_AOT_CACHE}, and off if that is not set either.
     */
    public B aotCache(Path value) {
        aotCache = value;
        return self();
    }

    /** For Baton's own builders. */
    protected ServiceOptionsBuilder() {}

    /** This builder, as its concrete type. */
    protected abstract B self();

    /** The service's name: its control socket is {@code <control directory>/<name>.sock}. */
    public B name(String value) {
        name = value;
        return self();
    }

    /** Where the control socket lives; null for the default ({@code $XDG_RUNTIME_DIR/baton} or {@code /tmp}). */
    public B controlDirectory(Path value) {
        controlDirectory = value;
        return self();
    }

    /** A file kept holding the serving process's pid; null for none. */
    public B pidFile(Path value) {
        pidFile = value;
        return self();
    }

    /** How long a new generation may take to be ready before the upgrade is rolled back. */
    public B readyTimeout(Duration value) {
        readyTimeout = value;
        return self();
    }

    /** How long an old generation may drain before its remaining connections are closed. */
    public B drainTimeout(Duration value) {
        drainTimeout = value;
        return self();
    }

    /** How many old generations may drain at once; past it the oldest is cut short. */
    public B maxDrainingGenerations(int value) {
        maxDrainingGenerations = value;
        return self();
    }

    /** The listen backlog of the sockets Baton binds. */
    public B backlog(int value) {
        backlog = value;
        return self();
    }

    /** On a final stop, how long to keep serving (not ready) before draining. */
    public B shutdownDelay(Duration value) {
        shutdownDelay = value;
        return self();
    }
}
