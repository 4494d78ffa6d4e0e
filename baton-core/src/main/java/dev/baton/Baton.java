package dev.baton;

import dev.baton.internal.os.Availability;
import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One generation of a service that upgrades itself without dropping a connection.
 *
 * <p>A typical server:
 * <pre>{@code
 * try (Baton baton = Baton.open(BatonOptions.defaults().withName("shop"))) {
 *     ServerSocketChannel http = baton.listen("http", ListenAddress.parse(":8080"));
 *     ... start a server on http, and baton.register(it, through its adapter) ...
 *     baton.ready();          // after any warm-up
 *     baton.awaitStopped();   // returns once this generation has drained
 * }
 * }</pre>
 *
 * <p>On SIGHUP, SIGUSR2 (see ServiceSignals), {@code baton reload} or {@link #upgrade()}, the serving generation runs its
 * own command line again. The new process opens Baton, receives the listening sockets by name, starts
 * and calls {@link #ready()}; only then does the old one stop accepting, drain and stop. If the new one
 * exits, or is not ready within the ready timeout, it is stopped and the old one goes on serving.
 * SIGTERM and SIGINT stop gracefully; a second one stops at once.
 *
 * <p>Baton never exits the JVM. A stop that comes before {@link #ready()} (SIGTERM during a warm-up, say)
 * releases what this generation holds and makes {@link #awaitStopped()} return; {@code ready()} then
 * throws {@link IllegalStateException}. Choosing the exit status is the application's: 143 (128 +
 * SIGTERM) is the usual one. A stop during {@code ready()}'s takeover follows once it has ended.
 *
 * <p>Thread-safe. Needs Linux and the JVM flags {@code --enable-native-access=ALL-UNNAMED
 * --add-opens=java.base/sun.nio.ch=ALL-UNNAMED}; {@link #open} says so if they are missing.
 */
public final class Baton implements AutoCloseable {

    private final Lifecycle lifecycle;

    /** A Baton over {@code lifecycle}: {@link #open}'s, or a state-machine test's. */
    Baton(Lifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    /**
     * Starts this generation: takes over from the predecessor if this process is a successor (or
     * takes listeners from systemd or a Baton supervisor), and otherwise claims the service's name.
     *
     * @throws IllegalStateException if Baton cannot run in this JVM, saying which flag to add
     * @throws IOException if another service holds the name, the pidfile's directory is missing, or
     *     the predecessor cannot be reached; the message says which and what to do
     */
    public static Baton open(BatonOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        Optional<String> unavailable = Availability.unavailabilityCause();
        if (unavailable.isPresent()) {
            throw new IllegalStateException(unavailable.get());
        }
        return new Baton(Lifecycle.open(options));
    }

    /**
     * The listening socket named {@code name}: the one inherited under that name and address, or a new
     * one bound to {@code address}.
     *
     * @throws IOException if it cannot be bound (address in use, no such address), saying so
     * @throws IllegalStateException if a listener of that name was already taken
     */
    public ServerSocketChannel listen(String name, ListenAddress address) throws IOException {
        return listener(name, address).channel();
    }

    /** Like {@link #listen(String, ListenAddress)}, with the address in the form {@link ListenAddress#parse} reads. */
    public ServerSocketChannel listen(String name, String address) throws IOException {
        return listen(name, ListenAddress.parse(address));
    }

    /** Like {@link #listen(String, ListenAddress)}, returning the listener with its descriptor. */
    public Listener listener(String name, ListenAddress address) throws IOException {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        return lifecycle.listeners().listen(name, address);
    }

    /** The listeners taken so far. */
    public List<Listener> listeners() {
        return lifecycle.listeners().active();
    }

    /** Registers a server: it starts accepting when this generation serves, and drains when it stops serving. */
    public void register(ManagedServer server) {
        lifecycle.register(Objects.requireNonNull(server, "server"));
    }

    /** Adds hooks into this generation's lifecycle. */
    public void addLifecycleListener(LifecycleListener listener) {
        lifecycle.addLifecycleListener(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Says this generation can serve. Inherited listeners nobody asked for are closed; the predecessor,
     * if any, stops accepting and drains; the pidfile and systemd are updated.
     *
     * @throws IOException if the predecessor refused (it gave up waiting) or is gone: this generation
     *     must then exit without serving
     * @throws IllegalStateException if called twice
     */
    public void ready() throws IOException {
        lifecycle.ready();
    }

    /**
     * Upgrades now: starts the successor and waits until it is ready or has failed.
     *
     * @return how it ended; never throws for a failed successor
     */
    public UpgradeResult upgrade() {
        return lifecycle.upgrade("an API call");
    }

    /**
     * Stops gracefully: stops accepting and drains, in the background. A second call stops at once.
     * Before {@link #ready()}, stops this generation without serving: {@link #awaitStopped()} returns,
     * and exiting is left to the application.
     */
    public void stop() {
        lifecycle.stop(false, "an API call");
    }

    /**
     * Waits until this generation has drained (after a successor took over, or a stop), or was stopped
     * before it was ready.
     */
    public void awaitStopped() throws InterruptedException {
        lifecycle.awaitStopped();
    }

    /** Waits at most {@code timeout} for this generation to drain; returns whether it has. */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return lifecycle.awaitStopped(timeout);
    }

    /** This generation's number: 1 for a cold start, one more at every upgrade. */
    public int generation() {
        return lifecycle.generation();
    }

    /** This process's pid. */
    public long pid() {
        return lifecycle.pid();
    }

    public GenerationState state() {
        return lifecycle.state();
    }

    /**
     * The service's status as this generation answers {@code baton status}, with its figures
     * ({@link ServiceStatus#figures()}): what the meters of {@code baton-micrometer} read.
     */
    public ServiceStatus status() {
        return lifecycle.status();
    }

    /** The control socket that {@code baton reload | status | stop} use, if this process has one. */
    public Optional<Path> controlSocket() {
        return Optional.ofNullable(lifecycle.controlPath());
    }

    /**
     * Releases this generation: if it never became ready, closes what it holds; if it serves, stops it
     * gracefully and waits until it has drained. An interrupt ends the wait (and stays set).
     */
    @Override
    public void close() {
        switch (lifecycle.state()) {
            case STARTING -> lifecycle.abandon();
            case STOPPED -> { }
            default -> {
                lifecycle.stop(false, "close()");
                try {
                    lifecycle.awaitStopped();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
