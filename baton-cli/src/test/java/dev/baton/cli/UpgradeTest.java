package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.UpgradeResult;
import dev.baton.load.ConnectionMode;
import dev.baton.load.LoadGenerator;
import dev.baton.load.LoadOptions;
import dev.baton.load.LoadReport;
import dev.baton.load.LoadRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The guarantee, measured on real processes: upgrades under a closed-loop load that never retries fail
 * no request, and a request in flight when an upgrade starts finishes on the old generation.
 */
@Isolated // runs alone (junit-platform.properties): closed-loop loads, and an upgrade timed against a slow request
class UpgradeTest {

    private static final int UPGRADES = 3;
    private static final int CONNECTIONS = 16;

    @TempDir
    Path directory;

    @ParameterizedTest(name = "{0}")
    @EnumSource(ConnectionMode.class)
    void upgrades_underClosedLoopLoad_noRequestFailsAndEveryGenerationAnswers(ConnectionMode mode) throws Exception {
        try (DemoServerProcess server = DemoServerProcess.start(directory, "greeting=under load\n")) {
            List<Long> generationPids = new ArrayList<>(List.of(server.servingPid()));
            LoadOptions options = LoadOptions.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()))
                    .withPath(DemoServerProcess.PACED)
                    .withConnections(CONNECTIONS)
                    .withMode(mode)
                    .withDuration(Duration.ofMinutes(3));
            LoadReport report;
            try (LoadRun load = LoadGenerator.start(options)) {
                await().atMost(DemoServerProcess.READY_WAIT).until(() -> load.snapshot().successes() >= 200);
                for (int upgrade = 1; upgrade <= UPGRADES; upgrade++) {
                    long newPid = server.upgradeByTurns(upgrade);
                    generationPids.add(newPid);
                    int answered = upgrade + 1;
                    await().atMost(DemoServerProcess.READY_WAIT)
                            .until(() -> load.snapshot().distinctPids() >= answered);
                }
                report = load.stop();
            }
            server.recordPids(report);
            System.out.println(report.toTable());

            assertThat(report.hasNoFailures())
                    .as(() -> "failed requests across " + UPGRADES + " upgrades (" + mode.label() + "):\n"
                            + report.toTable() + server.logTail())
                    .isTrue();
            assertThat(report.generations().keySet()).as(report::toTable).contains(1L, 2L, 3L, 4L);
            assertThat(report.pids().keySet()).as(report::toTable).containsAll(generationPids);
            for (long pid : generationPids.subList(0, UPGRADES)) {
                server.awaitExit(pid);
            }
        }
    }

    /**
     * Where posix_spawn or pidfds are missing (or {@code BATON_SUCCESSOR_LAUNCH=process-builder} asks), successors
     * start through ProcessBuilder and get their listeners at the handover only: upgrades still serve every
     * request in flight and each generation answers.
     */
    @Test
    void upgrades_throughProcessBuilder_stillHandOverAndSayHow() throws Exception {
        try (DemoServerProcess server = DemoServerProcess.startWithEnvironment(directory,
                java.util.Map.of("BATON_SUCCESSOR_LAUNCH", "process-builder"), "")) {
            long first = server.servingPid();
            long second = server.upgradeByTurns(1);
            long third = server.upgradeByTurns(2);

            assertThat(List.of(first, second, third)).doesNotHaveDuplicates();
            await().atMost(DemoServerProcess.READY_WAIT) // the old one answers until its probation begins
                    .until(() -> RawHttp.get(server.port(), "/").pid() == third);
            assertThat(server.logText()).contains("successors start through ProcessBuilder and get their listeners "
                    + "at the handover only (BATON_SUCCESSOR_LAUNCH=process-builder asks for it)");
            server.awaitExit(first);
            server.awaitExit(second);
        }
    }

    @Test
    void upgrade_requestInFlight_completesOnTheOldGenerationWhileTheNewOneServes() throws Exception {
        try (DemoServerProcess server = DemoServerProcess.start(directory, "")) {
            long oldPid = server.servingPid();
            try (RawHttp slow = RawHttp.connect(server.port())) {
                assertThat(slow.get("/").pid()).as("the slow connection is the old generation's").isEqualTo(oldPid);
                slow.send("/sleep?ms=10000"); // outlasts ready plus the old generation's probation
                server.awaitRequestRead(slow);
                CompletableFuture<RawHttp.Answer> slowAnswer = CompletableFuture.supplyAsync(() -> {
                    try {
                        return slow.receive();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });

                UpgradeResult result = server.reload();
                assertThat(result.succeeded()).as("%s%s", result, server.logTail()).isTrue();
                RawHttp.Answer fresh = server.awaitAnswerFrom(result.successorPid(), "/");
                boolean slowStillInFlight = !slowAnswer.isDone();
                RawHttp.Answer answer = slowAnswer.get(60, TimeUnit.SECONDS);

                assertThat(answer.status()).as("%s%s", answer, server.logTail()).isEqualTo(200);
                assertThat(answer.body()).contains("slept 10000 ms");
                assertThat(answer.pid()).as("the slow request is answered by the old generation").isEqualTo(oldPid);
                assertThat(fresh.body()).contains("generation=2");
                assertThat(slowStillInFlight)
                        .as("the new generation answered while the old one still had the slow request (the upgrade "
                                + "took %d ms)", result.elapsed().toMillis())
                        .isTrue();
            }
            server.awaitExit(oldPid);
        }
    }
}
