package dev.baton;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link ManagedServer} that records what the lifecycle asks of it. Its drain completes at once, or,
 * if made with {@link #holdingConnections}, only when hammered.
 */
final class FakeServer implements ManagedServer {

    final AtomicInteger acceptingCalls = new AtomicInteger();
    final AtomicInteger drainCalls = new AtomicInteger();
    final AtomicInteger hammerCalls = new AtomicInteger();
    final AtomicInteger pauseCalls = new AtomicInteger();
    final AtomicInteger resumeCalls = new AtomicInteger();
    private final int openConnections;
    private boolean canPause;
    private final CompletableFuture<Void> drained = new CompletableFuture<>();

    private FakeServer(int openConnections) {
        this.openConnections = openConnections;
    }

    /** A server whose drain finishes at once. */
    static FakeServer idle() {
        return new FakeServer(0);
    }

    /** A server with {@code connections} that never finish: its drain ends only with the hammer. */
    static FakeServer holdingConnections(int connections) {
        return new FakeServer(connections);
    }

    /** A server whose drain finishes at once, and that can pause accepting (it is kept on probation). */
    static FakeServer pausable() {
        FakeServer server = new FakeServer(0);
        server.canPause = true;
        return server;
    }

    boolean accepting() {
        return acceptingCalls.get() > 0 && drainCalls.get() == 0 && pauseCalls.get() == resumeCalls.get();
    }

    @Override
    public boolean canPauseAccepting() {
        return canPause;
    }

    @Override
    public void pauseAccepting() {
        pauseCalls.incrementAndGet();
    }

    @Override
    public void resumeAccepting() {
        resumeCalls.incrementAndGet();
    }

    @Override
    public void startAccepting() {
        acceptingCalls.incrementAndGet();
    }

    @Override
    public CompletableFuture<Void> drain() {
        drainCalls.incrementAndGet();
        if (openConnections == 0) {
            drained.complete(null);
        }
        return drained;
    }

    @Override
    public int hammer() {
        hammerCalls.incrementAndGet();
        drained.complete(null);
        return openConnections;
    }
}
