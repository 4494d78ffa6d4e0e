package dev.baton.load;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The running load: its workers, the counters they share, and its end.
 *
 * <p>Concurrency: workers count into thread-safe adders and record latencies into their own
 * histograms. {@link #stopping} is the one flag that ends the run early; {@link #stop()} sets it and
 * then closes every worker's socket. The last worker to end builds the report, after every other
 * worker has ended, and completes {@link #end}.
 */
final class LoadEngine implements LoadRun {

    private final LoadOptions options;
    private final byte[] request;
    private final long startNanos;
    private final long deadlineNanos;
    private final AtomicLong requestsLeft;
    private final List<Worker> workers = new ArrayList<>();
    private final AtomicInteger running;
    private final CompletableFuture<LoadReport> end = new CompletableFuture<>();

    private volatile boolean stopping;
    private volatile boolean stopRequested;
    private volatile long endNanos;
    private final AtomicReference<Throwable> crash = new AtomicReference<>();

    private final LongAdder successes = new LongAdder();
    private final LongAdder abandoned = new LongAdder();
    private final LongAdder connectionsOpened = new LongAdder();
    private final Map<FailureKind, LongAdder> failures = new EnumMap<>(FailureKind.class);
    private final ValueCounts pids = new ValueCounts();
    private final ValueCounts generations = new ValueCounts();
    private final List<FailureSample> samples = new ArrayList<>();
    private final AtomicInteger sampleSlots = new AtomicInteger();

    private LoadEngine(LoadOptions options) {
        this.options = options;
        this.request = request(options);
        for (FailureKind kind : FailureKind.values()) {
            failures.put(kind, new LongAdder());
        }
        this.requestsLeft = new AtomicLong(options.maxRequests());
        this.running = new AtomicInteger(options.connections());
        this.startNanos = System.nanoTime();
        this.deadlineNanos = startNanos + Math.min(options.duration().toNanos(), Long.MAX_VALUE / 4);
    }

    static LoadEngine start(LoadOptions options) {
        LoadEngine engine = new LoadEngine(options);
        for (int i = 0; i < options.connections(); i++) {
            engine.workers.add(new Worker(engine, i));
        }
        Thread.Builder threads = Thread.ofPlatform().name("baton-load-worker-", 0).daemon(true);
        for (Worker worker : engine.workers) {
            threads.start(worker);
        }
        return engine;
    }

    private static byte[] request(LoadOptions options) {
        String host = options.target().getHostString();
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        String head = "GET " + options.path() + " HTTP/1.1\r\n"
                + "Host: " + host + ":" + options.target().getPort() + "\r\n"
                + "User-Agent: baton-load\r\n"
                + (options.mode() == ConnectionMode.NEW_CONNECTION ? "Connection: close\r\n" : "")
                + "\r\n";
        return head.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public LoadOptions options() {
        return options;
    }

    @Override
    public LoadSnapshot snapshot() {
        boolean done = end.isDone();
        long failed = 0;
        for (LongAdder adder : failures.values()) {
            failed += adder.sum();
        }
        return new LoadSnapshot(done ? Duration.ofNanos(endNanos - startNanos) : elapsed(), successes.sum(), failed,
                abandoned.sum(), pids.distinct(), done);
    }

    @Override
    public LoadReport awaitEnd() throws InterruptedException {
        try {
            return end.get();
        } catch (ExecutionException e) {
            throw crashed(e);
        }
    }

    @Override
    public LoadReport awaitEnd(Duration timeout) throws InterruptedException, TimeoutException {
        try {
            return end.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw crashed(e);
        }
    }

    @Override
    public LoadReport stop() throws InterruptedException {
        requestStop();
        return awaitEnd();
    }

    @Override
    public void close() {
        requestStop();
        try {
            end.handle((report, error) -> null).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new AssertionError("handle() never completes exceptionally", e);
        }
    }

    private void requestStop() {
        if (!end.isDone()) {
            stopRequested = true;
        }
        halt();
    }

    private void halt() {
        stopping = true;
        for (Worker worker : workers) {
            worker.abort();
        }
    }

    /** A new exception for the calling thread, with the worker's error as its cause. */
    private static IllegalStateException crashed(ExecutionException e) {
        Throwable stored = e.getCause();
        return new IllegalStateException(stored.getMessage(), stored.getCause());
    }

    // ---- called by workers ----

    byte[] request() {
        return request;
    }

    boolean stopping() {
        return stopping;
    }

    /** Whether a worker may start another request: not stopping, before the deadline, within the limit. */
    boolean startRequest() {
        return !stopping && System.nanoTime() - deadlineNanos < 0 && requestsLeft.getAndDecrement() > 0;
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    void connectionOpened() {
        connectionsOpened.increment();
    }

    void succeeded(long pid, long generation) {
        successes.increment();
        if (pid >= 0) {
            pids.add(pid);
        }
        if (generation >= 0) {
            generations.add(generation);
        }
    }

    /** Counts a failure; returns whether a sample of it is wanted (the first few only). */
    boolean failed(FailureKind kind) {
        failures.get(kind).increment();
        return sampleSlots.get() < LoadReport.MAX_SAMPLE_FAILURES
                && sampleSlots.getAndIncrement() < LoadReport.MAX_SAMPLE_FAILURES;
    }

    void sample(FailureSample sample) {
        synchronized (samples) {
            if (samples.size() < LoadReport.MAX_SAMPLE_FAILURES) {
                samples.add(sample);
            }
        }
    }

    void abandoned() {
        abandoned.increment();
    }

    void crashed(int worker, Throwable t) {
        crash.compareAndSet(null, new IllegalStateException("load worker " + worker + " failed: " + t, t));
        halt();
    }

    void workerEnded() {
        if (running.decrementAndGet() > 0) {
            return;
        }
        endNanos = System.nanoTime();
        Throwable error = crash.get();
        if (error != null) {
            end.completeExceptionally(error);
            return;
        }
        LatencyHistogram all = new LatencyHistogram();
        for (Worker worker : workers) {
            all.add(worker.latencies());
        }
        Map<FailureKind, Long> failed = new EnumMap<>(FailureKind.class);
        failures.forEach((kind, adder) -> failed.put(kind, adder.sum()));
        List<FailureSample> firstFailures;
        synchronized (samples) {
            firstFailures = List.copyOf(samples);
        }
        end.complete(new LoadReport(options, Duration.ofNanos(endNanos - startNanos), stopRequested,
                successes.sum(), failed, abandoned.sum(), connectionsOpened.sum(), all.summary(), pids.toMap(),
                generations.toMap(), firstFailures));
    }
}
