package dev.baton.testing;

import dev.baton.Baton;
import dev.baton.StateMachineSeam;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A Baton service driven in the test JVM through the core's state-machine seams, for the other modules'
 * tests: each generation a real {@link Baton} over a lifecycle in this JVM, the handover over the real
 * control socket, no JVM started. Upgrades are scripted to succeed, or to fail (the successor exits
 * before it is ready). Outside {@code dev.baton} because a module's tests cannot see that package of the
 * test jar.
 */
public final class StateMachineService implements AutoCloseable {

    private final StateMachineSeam seam;

    /**
     * @param controlDirectory where the control socket goes
     * @param onOpen what the application does with each generation's Baton before it is ready
     * @param connectionsLeft how many connections each generation's server still holds when it drains
     *     (only the hammer closes them); at most one older generation drains, the oldest is hammered
     */
    public StateMachineService(Path controlDirectory, Consumer<Baton> onOpen, int connectionsLeft) {
        this.seam = new StateMachineSeam(controlDirectory, onOpen, connectionsLeft);
    }

    /** Starts generation 1 and makes it serve. */
    public Baton coldStart() throws IOException {
        return seam.coldStart();
    }

    /** Opens generation 1 without making it serve. */
    public Baton openWithoutReady() throws IOException {
        return seam.openWithoutReady();
    }

    /** Makes the next upgrade's successor exit before it is ready. */
    public StateMachineService nextFails() {
        seam.nextFails();
        return this;
    }

    /** Generation {@code number}, once it serves. */
    public Baton serving(int number) {
        return seam.serving(number);
    }

    /** Waits until generation {@code number} has drained. */
    public void awaitDrained(int number) throws InterruptedException {
        seam.awaitDrained(number);
    }

    @Override
    public void close() {
        seam.close();
    }
}
