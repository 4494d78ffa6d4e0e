package dev.baton.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.StringValue;
import com.google.protobuf.Struct;
import dev.baton.grpc.demo.DemoGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ClientCalls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The drain of a gRPC server: calls in flight finish, long-lived streams end with a going-away status
 * the client resubscribes on, health stays SERVING through a handover and turns NOT_SERVING at a final
 * stop, and the hammer cuts and counts what outlives the drain.
 */
class GrpcDrainTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Duration TICK = Duration.ofMillis(20);

    private final Closer toClose = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        toClose.closeAll();
    }

    private Generation first() throws Exception {
        Generation generation = new Generation(1, SharedListener.bound());
        toClose.add(generation);
        return generation;
    }

    private Generation successorOf(Generation generation) throws Throwable {
        Generation successor = generation.successor();
        toClose.add(successor);
        return successor;
    }

    private ManagedChannel channel(Generation generation) throws Exception {
        ManagedChannel channel = Clients.channel(SharedListener.port(generation.listener));
        toClose.add(() -> Clients.close(channel));
        return channel;
    }

    private static StreamRecorder<Struct> ticks(ManagedChannel channel, long from) {
        StreamRecorder<Struct> ticks = new StreamRecorder<>();
        ClientCalls.asyncServerStreamingCall(channel.newCall(DemoGrpc.TICKS, io.grpc.CallOptions.DEFAULT),
                DemoGrpc.ticksRequest(from, TICK, 0), ticks);
        return ticks;
    }

    private static StreamRecorder<HealthCheckResponse> watch(ManagedChannel channel) {
        StreamRecorder<HealthCheckResponse> watch = new StreamRecorder<>();
        ClientCalls.asyncServerStreamingCall(channel.newCall(HealthGrpc.getWatchMethod(), io.grpc.CallOptions.DEFAULT),
                HealthCheckRequest.getDefaultInstance(), watch);
        return watch;
    }

    private StreamRecorder<HealthCheckResponse> watchUntilFirstAnswer(Generation generation) throws Exception {
        StreamRecorder<HealthCheckResponse> watch = watch(channel(generation));
        await().atMost(WAIT).until(() -> !watch.messages.isEmpty());
        return watch;
    }

    /** A Hold call on a new channel to the generation, once the generation is holding it. */
    private CompletableFuture<String> callInFlight(Generation generation) throws Exception {
        ManagedChannel channel = channel(generation);
        CompletableFuture<String> call = CompletableFuture.supplyAsync(() -> ClientCalls.blockingUnaryCall(channel,
                HoldService.HOLD, io.grpc.CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
                StringValue.of("hold")).getValue());
        assertThat(generation.hold.entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        return call;
    }

    @Test
    void drain_callInFlight_completesOnTheOldGeneration() throws Throwable {
        Generation old = first();
        CompletableFuture<String> call = callInFlight(old);
        ManagedChannel channel = channel(old);
        assertThat(Clients.hello(channel).generation()).isEqualTo(1); // connected to the old generation
        Generation successor = successorOf(old);
        old.successorServes();

        CompletableFuture<Void> drained = old.managed.drain();
        await().atMost(WAIT).until(() -> !old.listener.isOpen());
        assertThat(Clients.hello(channel).generation()).as("a new call during the drain").isEqualTo(2);
        assertThat(drained).isNotDone();
        old.hold.release();

        assertThat(call).succeedsWithin(WAIT).isEqualTo("generation 1");
        assertThat(drained).succeedsWithin(WAIT);
        assertThat(successor.grpc.openConnections()).isPositive();
    }

    @Test
    void drain_ticksStreamOpen_endsWithGoingAway_clientResubscribesOnTheSuccessorWithoutAGap() throws Throwable {
        Generation old = first();
        ManagedChannel channel = channel(old);
        StreamRecorder<Struct> before = ticks(channel, 0);
        await().atMost(WAIT).until(() -> before.messages.size() >= 5);
        successorOf(old);
        old.successorServes();

        CompletableFuture<Void> drained = old.managed.drain();

        Status ended = before.ended.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(ended.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(DrainSignal.isGoingAway(ended)).as("going away, not a reset: " + ended).isTrue();
        assertThat(drained).succeedsWithin(WAIT);
        DemoGrpc.Tick last = DemoGrpc.Tick.of(before.last());
        assertThat(last.generation()).isEqualTo(1);

        StreamRecorder<Struct> after = ticks(channel, last.number() + 1);
        await().atMost(WAIT).until(() -> after.messages.size() >= 3);
        DemoGrpc.Tick resumed = DemoGrpc.Tick.of(after.messages.getFirst());
        assertThat(resumed.generation()).isEqualTo(2);
        assertThat(resumed.number()).isEqualTo(last.number() + 1);
        assertThat(after.ended).isNotDone();
    }

    @Test
    void health_handover_everyCheckAnswersServingAndWatchSeesNoNotServing() throws Throwable {
        Generation old = first();
        ManagedChannel watching = channel(old);
        StreamRecorder<HealthCheckResponse> watch = watch(watching);
        await().atMost(WAIT).until(() -> !watch.messages.isEmpty());
        List<ManagedChannel> checkers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            checkers.add(channel(old));
            assertThat(Clients.check(checkers.getLast())).isEqualTo(ServingStatus.SERVING); // connected to the old one
        }
        successorOf(old);
        List<ServingStatus> answers = new CopyOnWriteArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> drained = new CompletableFuture<>();
        List<CompletableFuture<Void>> loops = new ArrayList<>();
        for (ManagedChannel checker : checkers) {
            loops.add(CompletableFuture.runAsync(() -> {
                while (!drained.isDone() || answers.size() < 200) {
                    try {
                        answers.add(Clients.check(checker));
                    } catch (RuntimeException e) {
                        failures.add(e);
                    }
                }
            }));
        }
        await().atMost(WAIT).until(() -> answers.size() >= 100);
        old.successorServes();

        old.managed.drain().whenComplete((v, e) -> drained.complete(null)).get(WAIT.toSeconds(),
                TimeUnit.SECONDS);
        CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(),
                TimeUnit.SECONDS);

        assertThat(failures).isEmpty();
        assertThat(answers).hasSizeGreaterThanOrEqualTo(200).containsOnly(ServingStatus.SERVING);
        Status ended = watch.ended.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(DrainSignal.isGoingAway(ended)).as(ended.toString()).isTrue();
        assertThat(watch.messages).extracting(HealthCheckResponse::getStatus).containsOnly(ServingStatus.SERVING);
        assertThat(Clients.check(watching)).isEqualTo(ServingStatus.SERVING);
    }

    @Test
    void health_finalStop_watchSeesNotServingBeforeGoingAway() throws Exception {
        Generation generation = first();
        StreamRecorder<HealthCheckResponse> watch = watchUntilFirstAnswer(generation);
        generation.managed.stopping();

        generation.managed.drain();

        Status ended = watch.ended.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(DrainSignal.isGoingAway(ended)).as(ended.toString()).isTrue();
        assertThat(watch.messages).extracting(HealthCheckResponse::getStatus)
                .containsExactly(ServingStatus.SERVING, ServingStatus.NOT_SERVING);
    }

    @Test
    void health_drainWithoutWordOfASuccessor_isTakenForAFinalStop() throws Exception {
        Generation generation = first();
        StreamRecorder<HealthCheckResponse> watch = watchUntilFirstAnswer(generation);

        generation.managed.drain();

        watch.ended.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(watch.messages).extracting(HealthCheckResponse::getStatus).last()
                .isEqualTo(ServingStatus.NOT_SERVING);
    }

    @Test
    void hammer_callOutlivesTheDrain_cutAndCountedInTheLog() throws Exception {
        Generation generation = first();
        CompletableFuture<String> call = callInFlight(generation);
        List<String> warnings = recordWarnings();
        generation.managed.stopping();
        CompletableFuture<Void> drained = generation.managed.drain();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !drained.isDone());

        int cut = generation.managed.hammer();

        assertThat(cut).isEqualTo(1);
        assertThat(warnings).contains("hammer: shutdownNow cut 1 call(s) on 1 connection(s)");
        // shutdownNow resets the stream (RST_STREAM CANCEL): the client sees CANCELLED.
        assertThat(call).failsWithin(WAIT).withThrowableThat().havingRootCause()
                .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isIn(Status.Code.CANCELLED,
                        Status.Code.UNAVAILABLE));
        assertThat(drained).succeedsWithin(WAIT);
    }

    @Test
    void drainSignal_hookAddedBeforeAndAfterDrain_bothRunOnce() throws Exception {
        Generation generation = first();
        List<String> ran = new CopyOnWriteArrayList<>();
        generation.grpc.drainSignal().onDraining(() -> ran.add("before"));
        generation.managed.stopping();

        assertThat(generation.managed.drain()).succeedsWithin(WAIT);
        generation.grpc.drainSignal().onDraining(() -> ran.add("after"));

        assertThat(ran).containsExactly("before", "after");
        assertThat(generation.grpc.drainSignal().isDraining()).isTrue();
    }

    private List<String> recordWarnings() {
        Logger logger = Logger.getLogger(GrpcManagedServer.class.getName());
        List<String> messages = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                messages.add(new SimpleFormatter().formatMessage(record));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(handler);
        toClose.add(() -> logger.removeHandler(handler));
        return messages;
    }

}
