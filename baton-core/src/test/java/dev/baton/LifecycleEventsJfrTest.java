package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.FakeGenerations.Script;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code dev.baton.*} flight recorder events of an upgrade, a failed upgrade and a drain, recorded in
 * this JVM through {@link FakeGenerations} (real control socket, real listeners, fake process boundary)
 * and read back from a dumped recording.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LifecycleEventsJfrTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path temp;

    private FakeGenerations service;
    private Recording recording;

    @AfterEach
    void stopEverything() {
        if (service != null) {
            service.stopAll();
        }
        if (recording != null) {
            recording.close();
        }
    }

    @Test
    void upgrade_succeeded_recordsRequestStartReadyDrainAndListeners() throws Exception {
        startRecording();
        service = new FakeGenerations(FakeGenerations.options(temp), FakeServer::idle);
        Lifecycle first = service.next(Script.READY).coldStart();

        UpgradeResult result = first.upgrade("the test");
        assertThat(result.succeeded()).as("%s", result).isTrue();
        assertThat(first.awaitStopped(WAIT)).isTrue();
        Lifecycle second = service.generation(2);
        await().atMost(WAIT).until(() -> second.state() == GenerationState.SERVING);
        List<RecordedEvent> events = dump();

        assertThat(one(events, "dev.baton.ListenerBound", e -> e.getInt("generation") == 1))
                .satisfies(e -> assertThat(e.getString("name")).isEqualTo("http"))
                .satisfies(e -> assertThat(e.getString("address")).startsWith("127.0.0.1:"))
                .satisfies(e -> assertThat(e.getInt("descriptor")).isPositive());
        assertThat(one(events, "dev.baton.ListenerInherited", e -> e.getInt("generation") == 2))
                .satisfies(e -> assertThat(e.getString("name")).isEqualTo("http"));
        assertThat(one(events, "dev.baton.UpgradeRequested", e -> true))
                .satisfies(e -> assertThat(e.getString("trigger")).isEqualTo("the test"))
                .satisfies(e -> assertThat(e.getInt("generation")).isEqualTo(1))
                .satisfies(e -> assertThat(e.getLong("pid")).isEqualTo(FakeGenerations.PID))
                .satisfies(e -> assertThat(e.getInt("successorGeneration")).isEqualTo(2))
                .satisfies(e -> assertThat(e.getString("refused")).isEmpty());
        assertThat(one(events, "dev.baton.SuccessorStarted", e -> true))
                .satisfies(e -> assertThat(e.getLong("successorPid")).isEqualTo(FakeGenerations.PID))
                .satisfies(e -> assertThat(e.getInt("successorGeneration")).isEqualTo(2));
        RecordedEvent ready = one(events, "dev.baton.SuccessorReady", e -> true);
        assertThat(ready.getInt("successorGeneration")).isEqualTo(2);
        assertThat(ready.getDuration()).isPositive();
        assertThat(events).noneMatch(e -> e.getEventType().getName().equals("dev.baton.SuccessorFailed"));
        assertThat(one(events, "dev.baton.DrainStarted", e -> e.getInt("generation") == 1))
                .satisfies(e -> assertThat(e.getBoolean("finalStop")).isFalse())
                .satisfies(e -> assertThat(e.getString("reason")).contains("generation 2", "is serving"));
        RecordedEvent drained = one(events, "dev.baton.Drained", e -> e.getInt("generation") == 1);
        assertThat(drained.getInt("hammered")).isZero();
        assertThat(drained.getDuration()).isPositive();
        assertThat(events).noneMatch(e -> e.getEventType().getName().equals("dev.baton.Hammered"));
    }

    @Test
    void upgrade_successorExits_recordsFailureWithItsReason() throws Exception {
        startRecording();
        service = new FakeGenerations(FakeGenerations.options(temp), FakeServer::idle);
        Lifecycle first = service.next(Script.EXITS).coldStart();

        assertThat(first.upgrade("the test").outcome()).isEqualTo(UpgradeResult.Outcome.FAILED);
        List<RecordedEvent> events = dump();

        assertThat(one(events, "dev.baton.SuccessorStarted", e -> true).getInt("successorGeneration")).isEqualTo(2);
        RecordedEvent failed = one(events, "dev.baton.SuccessorFailed", e -> true);
        assertThat(failed.getString("reason")).isEqualTo("exited with status 2 before it was ready");
        assertThat(failed.getLong("successorPid")).isEqualTo(FakeGenerations.PID);
        assertThat(failed.getInt("generation")).isEqualTo(1);
        assertThat(failed.getDuration()).isPositive();
        assertThat(events).noneMatch(e -> e.getEventType().getName().equals("dev.baton.SuccessorReady"));
    }

    @Test
    void upgrade_refused_recordsTheRefusal() throws Exception {
        startRecording();
        service = new FakeGenerations(FakeGenerations.options(temp), FakeServer::idle);
        Lifecycle first = service.open(java.util.Map.of());

        assertThat(first.upgrade("the test").outcome()).isEqualTo(UpgradeResult.Outcome.REFUSED);
        List<RecordedEvent> events = dump();

        RecordedEvent requested = one(events, "dev.baton.UpgradeRequested", e -> true);
        assertThat(requested.getString("refused")).isNotEmpty();
        assertThat(requested.getInt("successorGeneration")).isZero();
    }

    @Test
    void stop_secondStopWhileDraining_recordsHammerWithItsCount() throws Exception {
        startRecording();
        service = new FakeGenerations(FakeGenerations.options(temp), () -> FakeServer.holdingConnections(3));
        Lifecycle first = service.coldStart();

        first.stop(false, "SIGTERM");
        first.stop(false, "a second SIGTERM");
        assertThat(first.awaitStopped(WAIT)).isTrue();
        List<RecordedEvent> events = dump();

        assertThat(one(events, "dev.baton.DrainStarted", e -> true).getBoolean("finalStop")).isTrue();
        RecordedEvent hammered = one(events, "dev.baton.Hammered", e -> true);
        assertThat(hammered.getInt("connections")).isEqualTo(3);
        assertThat(hammered.getString("trigger")).isEqualTo("a second SIGTERM");
        assertThat(one(events, "dev.baton.Drained", e -> true).getInt("hammered")).isEqualTo(3);
    }

    @Test
    void eventTypes_areNamedLabelledAndInTheBatonCategory() {
        new dev.baton.internal.events.DrainedEvent(); // registers the class with the recorder
        List<EventType> types = FlightRecorder.getFlightRecorder().getEventTypes().stream()
                .filter(type -> type.getName().startsWith("dev.baton.")).toList();

        assertThat(types).isNotEmpty().allSatisfy(type -> {
            assertThat(type.getLabel()).as(type.getName()).isNotBlank();
            assertThat(type.getDescription()).as(type.getName()).isNotBlank();
            assertThat(type.getCategoryNames()).as(type.getName()).containsExactly("Baton");
        });
    }

    private void startRecording() {
        recording = new Recording();
        for (String name : List.of("UpgradeRequested", "SuccessorStarted", "SuccessorReady", "SuccessorFailed",
                "DrainStarted", "Drained", "Hammered", "ListenerInherited", "ListenerBound")) {
            recording.enable("dev.baton." + name).withoutThreshold();
        }
        recording.start();
    }

    private List<RecordedEvent> dump() throws IOException {
        recording.stop();
        Path file = temp.resolve("baton.jfr");
        recording.dump(file);
        return RecordingFile.readAllEvents(file);
    }

    private static RecordedEvent one(List<RecordedEvent> events, String name, Predicate<RecordedEvent> which) {
        List<RecordedEvent> matching = events.stream()
                .filter(e -> e.getEventType().getName().equals(name)).filter(which).toList();
        assertThat(matching).as("%s events among %s", name, events.stream()
                .map(e -> e.getEventType().getName()).toList()).hasSize(1);
        return matching.getFirst();
    }
}
