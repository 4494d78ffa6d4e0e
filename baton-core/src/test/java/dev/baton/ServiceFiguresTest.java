package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.FakeGenerations.Script;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service's figures a status reports ({@link ServiceStatus.Figures}), through the control socket as
 * {@code baton status} reads them: kept across generations by the handover, moved by failed and refused
 * upgrades, and by the drain an older generation reports.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ServiceFiguresTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path temp;

    private FakeGenerations service;

    @AfterEach
    void stopEverything() {
        if (service != null) {
            service.stopAll();
        }
    }

    @Test
    void status_coldStart_noFigures() throws IOException {
        service = new FakeGenerations(FakeGenerations.options(temp), FakeServer::idle);
        Lifecycle first = service.coldStart();

        assertThat(BatonControl.at(first.controlPath()).status().figures()).isEqualTo(ServiceStatus.Figures.NONE);
    }

    @Test
    void status_afterAFailedAndTwoSucceededUpgrades_successorCountsThemAndTheReportedDrain() throws Exception {
        service = new FakeGenerations(FakeGenerations.options(temp), FakeServer::idle);
        Lifecycle first = service.next(Script.EXITS).next(Script.READY).next(Script.READY).coldStart();

        assertThat(first.upgrade("the failing one").outcome()).isEqualTo(UpgradeResult.Outcome.FAILED);
        service.clock.advance(Duration.ofMillis(250));
        assertThat(first.upgrade("the first").succeeded()).isTrue();
        Lifecycle second = service.generation(2);
        await().atMost(WAIT).until(() -> second.state() == GenerationState.SERVING);
        await().atMost(WAIT).until(() -> second.status().figures().lastDrain().isPresent());
        assertThat(second.upgrade("the second").succeeded()).isTrue();
        Lifecycle third = service.generation(3);
        await().atMost(WAIT).until(() -> third.state() == GenerationState.SERVING);
        await().atMost(WAIT).until(() -> third.status().figures().lastDrain().isPresent());

        ServiceStatus.Figures figures = BatonControl.at(first.controlPath()).status().figures();
        assertThat(figures.upgradesSucceeded()).isEqualTo(2);
        assertThat(figures.upgradesFailed()).isEqualTo(1);
        assertThat(figures.upgradesRefused()).isZero();
        assertThat(figures.lastTimeToReady()).isPresent();
        assertThat(figures.hammered()).isZero();
        assertThat(figures.generationsDraining()).isZero();
    }

    @Test
    void status_oldestDrainingGenerationHammered_hammeredCountsItsConnections() throws Exception {
        BatonOptions options = FakeGenerations.options(temp).withMaxDrainingGenerations(1);
        service = new FakeGenerations(options, () -> FakeServer.holdingConnections(3));
        Lifecycle first = service.coldStart();

        assertThat(first.upgrade("the first").succeeded()).isTrue();
        Lifecycle second = service.generation(2);
        await().atMost(WAIT).until(() -> second.state() == GenerationState.SERVING);
        assertThat(second.upgrade("the second").succeeded()).isTrue();
        Lifecycle third = service.generation(3);
        await().atMost(WAIT).until(() -> third.state() == GenerationState.SERVING);
        assertThat(first.awaitStopped(WAIT)).isTrue();
        await().atMost(WAIT).until(() -> third.status().figures().hammered() == 3);

        assertThat(third.status().figures().lastDrain()).isPresent();
        assertThat(third.status().figures().generationsDraining()).as("the second drains").isEqualTo(1);
    }

    @Test
    void status_upgradeWhileNotServing_countedAsRefused() throws IOException {
        service = new FakeGenerations(FakeGenerations.options(temp), FakeServer::idle);
        Lifecycle first = service.open(Map.of());

        assertThat(first.upgrade("too early").outcome()).isEqualTo(UpgradeResult.Outcome.REFUSED);

        assertThat(first.status().figures().upgradesRefused()).isEqualTo(1);
    }

    @Test
    void status_predecessorStillDraining_countsItAsDraining() throws Exception {
        service = new FakeGenerations(FakeGenerations.options(temp), () -> FakeServer.holdingConnections(1));
        Lifecycle first = service.coldStart();

        assertThat(first.upgrade("the test").succeeded()).isTrue();
        Lifecycle second = service.generation(2);
        await().atMost(WAIT).until(() -> second.state() == GenerationState.SERVING);

        assertThat(second.status().figures().generationsDraining()).isEqualTo(1);
        assertThat(second.status().figures().upgradesSucceeded()).isEqualTo(1);
    }
}
