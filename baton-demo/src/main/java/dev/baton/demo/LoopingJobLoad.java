package dev.baton.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A demo load run by platform threads that each loop until the load stops, counting into one
 * {@link LoadTally}: what {@link Http2JobLoad} and {@link WebSocketJobLoad} share.
 */
abstract class LoopingJobLoad implements JobLoad {

    protected final LoadTally tally = new LoadTally();
    private final String unit;
    private final Duration stopWait;
    private final List<Thread> loops = new ArrayList<>();
    private volatile boolean running = true;

    /**
     * @param unit what one answer is, such as {@code requests}
     * @param stopWait how long a loop may take to end its call in flight once the load stops
     */
    LoopingJobLoad(String unit, Duration stopWait) {
        this.unit = unit;
        this.stopWait = stopWait;
    }

    /** Starts a loop on a daemon thread named {@code name}; call once the subclass is set up. */
    protected final void startLoop(String name, Runnable loop) {
        loops.add(Thread.ofPlatform().daemon().name(name).start(loop));
    }

    protected final boolean running() {
        return running;
    }

    protected final int loopCount() {
        return loops.size();
    }

    /** What the report's first line says this load was. */
    protected abstract String description();

    /** Closes the clients; the loops see {@link #running()} false. */
    protected abstract void closeClients();

    @Override
    public final String progressLine() {
        return tally.progressLine(unit);
    }

    @Override
    public final int pidsSoFar() {
        return tally.pidsSoFar();
    }

    @Override
    public final JobReport stop() throws InterruptedException {
        running = false;
        for (Thread loop : loops) {
            loop.join(stopWait);
        }
        LoadTally.Report report = tally.report(description(), unit);
        close();
        return report;
    }

    @Override
    public final void close() {
        running = false;
        closeClients();
    }
}
