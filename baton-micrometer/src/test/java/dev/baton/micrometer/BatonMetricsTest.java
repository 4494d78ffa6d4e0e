package dev.baton.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.Baton;
import dev.baton.UpgradeResult;
import dev.baton.testing.StateMachineService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The meters of {@link BatonMetrics} over real upgrades, through the core's state-machine seams: each
 * generation is a {@link Baton} in this JVM with a registry of its own, as each process has.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BatonMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path temp;

    /** Each generation's registry, by generation number. */
    private final Map<Integer, MeterRegistry> registries = new ConcurrentHashMap<>();
    private StateMachineService service;

    @AfterEach
    void stopEverything() {
        if (service != null) {
            service.close();
        }
    }

    private StateMachineService service(int connectionsLeft) {
        service = new StateMachineService(temp, baton -> {
            MeterRegistry registry = new SimpleMeterRegistry();
            BatonMetrics.of(baton, Tags.of("service", "svc")).bindTo(registry);
            registries.put(baton.generation(), registry);
        }, connectionsLeft);
        return service;
    }

    @Test
    void coldStart_generationOneAndNothingElse() throws Exception {
        service(0).coldStart();
        MeterRegistry registry = registries.get(1);

        assertThat(registry.get("baton.generation").tag("service", "svc").gauge().value()).isEqualTo(1);
        assertThat(upgrades(registry, "succeeded")).isZero();
        assertThat(upgrades(registry, "failed")).isZero();
        assertThat(upgrades(registry, "refused")).isZero();
        assertThat(registry.get("baton.upgrade.ready").timer().count()).isZero();
        assertThat(registry.get("baton.drain").timer().count()).isZero();
        assertThat(registry.get("baton.hammered").functionCounter().count()).isZero();
        assertThat(registry.get("baton.generations.draining").gauge().value()).isZero();
    }

    @Test
    void upgrades_failedThenSucceeded_countersCarryIntoTheNewGenerationWithItsTimeToReadyAndTheDrain()
            throws Exception {
        Baton first = service(0).nextFails().coldStart();

        assertThat(first.upgrade().outcome()).isEqualTo(UpgradeResult.Outcome.FAILED);
        assertThat(upgrades(registries.get(1), "failed")).isEqualTo(1);
        assertThat(first.upgrade().succeeded()).isTrue();
        Baton second = service.serving(2);
        MeterRegistry registry = registries.get(2);
        await().atMost(WAIT).until(() -> registry.get("baton.drain").timer().count() == 1);

        assertThat(registry.get("baton.generation").gauge().value()).isEqualTo(2);
        assertThat(upgrades(registry, "succeeded")).isEqualTo(1);
        assertThat(upgrades(registry, "failed")).as("counted by the predecessor, carried over").isEqualTo(1);
        assertThat(registry.get("baton.upgrade.ready").timer().count()).isEqualTo(1);
        assertThat(registry.get("baton.hammered").functionCounter().count()).isZero();
        assertThat(registry.get("baton.generations.draining").gauge().value()).isZero();
        assertThat(second.status().figures().lastTimeToReady()).isPresent();
    }

    @Test
    void upgrades_refusedBeforeReady_countedAsRefused() throws Exception {
        Baton first = service(0).openWithoutReady();

        assertThat(first.upgrade().outcome()).isEqualTo(UpgradeResult.Outcome.REFUSED);

        assertThat(upgrades(registries.get(1), "refused")).isEqualTo(1);
    }

    @Test
    void drain_oldestGenerationHammered_hammeredCountsItsConnectionsAndDrainingCountsTheOther() throws Exception {
        Baton first = service(2).coldStart();

        assertThat(first.upgrade().succeeded()).isTrue();
        Baton second = service.serving(2);
        assertThat(registries.get(2).get("baton.generations.draining").gauge().value()).isEqualTo(1);
        assertThat(second.upgrade().succeeded()).isTrue();
        service.serving(3);
        service.awaitDrained(1);
        MeterRegistry registry = registries.get(3);
        await().atMost(WAIT).until(() -> registry.get("baton.hammered").functionCounter().count() == 2);

        assertThat(registry.get("baton.drain").timer().count()).isEqualTo(1);
        assertThat(registry.get("baton.generations.draining").gauge().value()).as("the second drains").isEqualTo(1);
        assertThat(upgrades(registry, "succeeded")).isEqualTo(2);
    }

    private static double upgrades(MeterRegistry registry, String outcome) {
        return registry.get("baton.upgrades").tag("outcome", outcome).functionCounter().count();
    }
}
