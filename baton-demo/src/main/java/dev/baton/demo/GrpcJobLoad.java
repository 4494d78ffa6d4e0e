package dev.baton.demo;

import dev.baton.grpc.demo.DemoGrpc;
import dev.baton.load.Latency;
import dev.baton.load.LatencyHistogram;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gRPC load of the demo job: closed-loop clients, one channel each with grpc-java's default
 * settings, calling the demo service's {@code Hello} one call after the other and counting each failed
 * call by its status code. A call in flight when the load stops is abandoned, not failed.
 */
final class GrpcJobLoad implements JobLoad {

    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final Duration STOP_WAIT = Duration.ofSeconds(15);

    /**
     * What the calls measured.
     *
     * @param calls the calls that ended, answered or failed
     * @param failuresByStatus the failed calls by status code
     * @param pids how many answers each pid gave, in pid order
     * @param generations how many answers each generation gave
     * @param latency the latency of the answered calls
     * @param elapsed how long the load ran
     */
    record Report(long calls, Map<Status.Code, Long> failuresByStatus, Map<Long, Long> pids,
            Map<Integer, Long> generations, Latency latency, Duration elapsed) implements JobReport {

        @Override
        public long failures() {
            return failuresByStatus.values().stream().mapToLong(Long::longValue).sum();
        }

        @Override
        public String toTable() {
            StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                    "Load: gRPC Hello, %.2f s%n  calls         %,d%n  succeeded     %,d%n  failed        %,d%n",
                    elapsed.toNanos() / 1e9, calls, calls - failures(), failures()));
            failuresByStatus.forEach((code, count) -> table.append(String.format(Locale.ROOT, "    %-11s %,d%n",
                    code, count)));
            table.append(String.format(Locale.ROOT, "  throughput    %,.0f calls/s%n", calls / seconds()));
            table.append("  latency       ").append(latency.headline()).append('\n');
            table.append("  pids          ").append(pids.size()).append(": ").append(pids).append('\n');
            table.append("  generations   ").append(generations.size()).append(": ").append(generations).append('\n');
            return table.toString();
        }

        @Override
        public String toSummaryLine() {
            return String.format(Locale.ROOT, "calls=%d failed=%d calls_per_s=%.0f pids=%d", calls, failures(),
                    calls / seconds(), pids.size());
        }

        @Override
        public LoadFigures figures() {
            return new LoadFigures(calls, failures(), calls / seconds(), Optional.of(latency), generations.size());
        }

        private double seconds() {
            return Math.max(1e-9, elapsed.toNanos() / 1e9);
        }
    }

    private final long start = System.nanoTime();
    private final AtomicLong calls = new AtomicLong();
    private final Map<Status.Code, Long> failures = new ConcurrentHashMap<>();
    private final Map<Long, Long> pids = new ConcurrentHashMap<>();
    private final Map<Integer, Long> generations = new ConcurrentHashMap<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final List<Thread> clients = new ArrayList<>();
    private final List<LatencyHistogram> latencies = new ArrayList<>(); // one per client, read once it has ended
    private volatile boolean running = true;

    GrpcJobLoad(int port, int clientCount) {
        for (int i = 0; i < clientCount; i++) {
            ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
            channels.add(channel);
            LatencyHistogram latency = new LatencyHistogram();
            latencies.add(latency);
            clients.add(Thread.ofPlatform().daemon().name("demo-grpc-client-" + i)
                    .start(() -> callInALoop(channel, latency)));
        }
    }

    private void callInALoop(ManagedChannel channel, LatencyHistogram latency) {
        while (running) {
            long started = System.nanoTime();
            try {
                DemoGrpc.Hello hello = DemoGrpc.Hello.of(ClientCalls.blockingUnaryCall(channel, DemoGrpc.HELLO,
                        CallOptions.DEFAULT.withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS),
                        DemoGrpc.helloRequest("demo")));
                latency.record(System.nanoTime() - started);
                pids.merge(hello.pid(), 1L, Long::sum);
                generations.merge(hello.generation(), 1L, Long::sum);
            } catch (StatusRuntimeException e) {
                if (!running && e.getStatus().getCode() == Status.Code.CANCELLED) {
                    return; // abandoned at the stop
                }
                failures.merge(e.getStatus().getCode(), 1L, Long::sum);
            }
            calls.incrementAndGet();
        }
    }

    @Override
    public String progressLine() {
        double seconds = (System.nanoTime() - start) / 1e9;
        long failed = failures.values().stream().mapToLong(Long::longValue).sum();
        return String.format(Locale.ROOT, "%5.1f s  calls %,d  failed %,d  %,.0f calls/s  pids %d", seconds,
                calls.get(), failed, calls.get() / Math.max(1e-9, seconds), pids.size());
    }

    @Override
    public int pidsSoFar() {
        return pids.size();
    }

    @Override
    public JobReport stop() throws InterruptedException {
        running = false;
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        LatencyHistogram latency = new LatencyHistogram();
        for (int i = 0; i < clients.size(); i++) {
            if (clients.get(i).join(STOP_WAIT)) {
                latency.add(latencies.get(i)); // a client still in its call past the deadline is left out
            }
        }
        close();
        return new Report(calls.get(), new TreeMap<>(failures), new TreeMap<>(pids), new TreeMap<>(generations),
                latency.summary(), elapsed);
    }

    @Override
    public void close() {
        running = false;
        channels.forEach(ManagedChannel::shutdownNow);
    }
}
