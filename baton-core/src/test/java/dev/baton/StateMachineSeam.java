package dev.baton;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The seam behind {@link dev.baton.testing.StateMachineService}, in this package for what it reaches: each
 * generation a real {@link Baton} over a {@link Lifecycle} in this JVM, the handover over the real control
 * socket, no JVM started. Upgrades are scripted to succeed, or to fail (the successor exits before ready).
 */
public final class StateMachineSeam implements AutoCloseable {

    private final FakeGenerations generations;

    /**
     * @param controlDirectory where the control socket goes
     * @param onOpen what the application does with each generation's Baton before it is ready
     * @param connectionsLeft how many connections each generation's server still holds when it drains
     *     (the hammer closes them)
     */
    public StateMachineSeam(Path controlDirectory, Consumer<Baton> onOpen, int connectionsLeft) {
        this.generations = new FakeGenerations(FakeGenerations.options(controlDirectory).withMaxDrainingGenerations(1),
                () -> connectionsLeft == 0 ? FakeServer.idle() : FakeServer.holdingConnections(connectionsLeft));
        generations.onOpen = lifecycle -> onOpen.accept(new Baton(lifecycle));
    }

    /** Starts generation 1 and makes it serve. */
    public Baton coldStart() throws IOException {
        return new Baton(generations.coldStart());
    }

    /** Opens generation 1 without making it serve. */
    public Baton openWithoutReady() throws IOException {
        return new Baton(generations.open(java.util.Map.of()));
    }

    /** Makes the next upgrade's successor exit before it is ready. */
    public StateMachineSeam nextFails() {
        generations.next(FakeGenerations.Script.EXITS);
        return this;
    }

    /** Generation {@code number}, once it serves. */
    public Baton serving(int number) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
                generations.generations.stream().anyMatch(g -> g.generation() == number
                        && g.state() == GenerationState.SERVING));
        return new Baton(generations.generation(number));
    }

    /** Waits until generation {@code number} has drained. */
    public void awaitDrained(int number) throws InterruptedException {
        if (!generations.generation(number).awaitStopped(java.time.Duration.ofSeconds(10))) {
            throw new AssertionError("generation " + number + " did not drain within 10s");
        }
    }

    @Override
    public void close() {
        generations.stopAll();
    }
}
