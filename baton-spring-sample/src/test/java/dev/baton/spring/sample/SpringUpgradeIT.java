package dev.baton.spring.sample;

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
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sample jar, run with {@code java -jar} on Tomcat, on Jetty and on Reactor Netty (WebFlux), upgraded in place: no failed
 * request under load, requests in flight finish on the old generation, a broken successor is rolled back.
 */
@Timeout(600)
class SpringUpgradeIT {

    @TempDir
    Path directory;

    @ParameterizedTest
    @ValueSource(strings = {"tomcat", "jetty", "webflux"})
    void upgrade_threeSighupsUnderLoad_noFailedRequestAndAnswersFromEveryGeneration(String server) throws Exception {
        try (SampleApp app = SampleApp.start(directory, server, "")) {
            List<Long> generations = new ArrayList<>(List.of(app.servingPid()));
            InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), app.port());
            try (LoadRun keepAlive = LoadGenerator.start(load(target, 8, ConnectionMode.KEEP_ALIVE));
                    LoadRun perRequest = LoadGenerator.start(load(target, 2, ConnectionMode.NEW_CONNECTION))) {
                for (int upgrade = 1; upgrade <= 3; upgrade++) {
                    long previous = generations.getLast();
                    generations.add(app.upgradeWithSighup());
                    app.awaitExit(previous);
                }
                long before = keepAlive.snapshot().successes();
                await().atMost(Duration.ofSeconds(30)).until(() -> keepAlive.snapshot().successes() > before + 100);
                LoadReport kept = keepAlive.stop();
                LoadReport fresh = perRequest.stop();
                app.recordPids(kept);
                app.recordPids(fresh);
                assertThat(kept.failures()).as("keep-alive load on %s:\n%s%s", server, kept.toTable(), app.logTail())
                        .isZero();
                assertThat(fresh.failures()).as("new-connection load on %s:\n%s%s", server, fresh.toTable(),
                        app.logTail()).isZero();
                assertThat(kept.pids().keySet()).as("pids that answered the keep-alive load").containsAll(generations);
                assertThat(fresh.pids().keySet()).as("pids that answered the new-connection load")
                        .containsAll(generations);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tomcat", "jetty", "webflux"})
    void upgrade_slowRequestsInFlight_finishOnTheOldPid(String server) throws Exception {
        try (SampleApp app = SampleApp.start(directory, server, "")) {
            long old = app.servingPid();
            try (Http threeSeconds = new Http(app.port()); Http throughTheDrain = new Http(app.port())) {
                threeSeconds.write("/sleep?ms=3000");
                throughTheDrain.write("/sleep?ms=25000");
                awaitRead(app, threeSeconds);
                awaitRead(app, throughTheDrain);
                app.kill("HUP", old);
                Http.Answer short3 = threeSeconds.read();
                long successor = app.awaitServingOtherThan(old);
                Http.Answer longOne = throughTheDrain.read();
                assertThat(short3.status()).isEqualTo(200);
                assertThat(short3.pid()).as("the 3 s request's answer: %s", short3).isEqualTo(old);
                assertThat(longOne.status()).isEqualTo(200);
                assertThat(longOne.pid()).as("the request in flight through the drain: %s", longOne).isEqualTo(old);
                assertConnectionClosesCleanly(throughTheDrain, longOne, old);
                assertThat(Http.get(app.port(), "/").pid()).isEqualTo(successor);
                app.awaitExit(old);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tomcat", "jetty", "webflux"})
    void upgrade_successorContextFails_rolledBackWithItsMessageAndTheOldOneServes(String server) throws Exception {
        try (SampleApp app = SampleApp.start(directory, server, "")) {
            long old = app.servingPid();
            InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), app.port());
            try (LoadRun keepAlive = LoadGenerator.start(load(target, 4, ConnectionMode.KEEP_ALIVE))) {
                app.writeConfig("sample.fail-on-start=true\n");
                UpgradeResult failed = app.reload();
                assertThat(failed.succeeded()).as("%s", failed).isFalse();
                assertThat(String.join("\n", failed.lastOutput()))
                        .contains("sample.fail-on-start is set: this generation refuses to start");
                assertThat(Http.get(app.port(), "/").pid()).isEqualTo(old);
                app.writeConfig("");
                UpgradeResult next = app.reload();
                assertThat(next.succeeded()).as("the next attempt: %s%s", next, app.logTail()).isTrue();
                app.awaitExit(old);
                LoadReport report = keepAlive.stop();
                app.recordPids(report);
                assertThat(report.failures()).as("%s%s", report.toTable(), app.logTail()).isZero();
                assertThat(report.pids().keySet()).contains(old, next.successorPid());
            }
        }
    }

    @Test
    void upgrade_successorStoppedBeforeReady_reportSaysWhereItsStartWas() throws Exception {
        try (SampleApp app = SampleApp.start(directory, "tomcat", "")) {
            long old = app.servingPid();
            app.writeConfig("sample.warm-up=10m\n");
            CompletableFuture<UpgradeResult> reload = CompletableFuture.supplyAsync(() -> {
                try {
                    return app.reload();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            // The successor warms up (never ready); stopped as the predecessor's ready timeout would stop it.
            Pattern warming = Pattern.compile("warming up for PT10M \\(pid (\\d+)\\)");
            long successor = await().atMost(SampleApp.READY_WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> warming.matcher(app.logText()).results().map(m -> Long.parseLong(m.group(1)))
                            .findFirst().orElse(-1L), pid -> pid > 0);
            app.kill("TERM", successor);
            UpgradeResult failed = reload.get(SampleApp.READY_WAIT.toSeconds(), TimeUnit.SECONDS);
            String report = failed.message() + "\n" + String.join("\n", failed.lastOutput());
            assertThat(failed.succeeded()).as(report).isFalse();
            // Its control connection closes a moment before its exit is seen: the report is still its exit's.
            assertThat(failed.message()).as(report).contains("before it was ready").doesNotContain("broke off");
            assertThat(report).contains("dev.baton.spring.sample.SampleStartup");
            assertThat(Http.get(app.port(), "/").pid()).isEqualTo(old);
        }
    }

    /**
     * The connection of a response answered while draining closes without a failed request: Jetty puts
     * {@code Connection: close} on it; Tomcat, on which Spring MVC commits the response before the valve
     * can add it, answers the next request on it normally with {@code Connection: close}. Either way the
     * server then closes it.
     */
    static void assertConnectionClosesCleanly(Http connection, Http.Answer answer, long oldPid) throws Exception {
        if (!answer.closes()) {
            Http.Answer next = connection.send("/");
            assertThat(next.status()).as("the next request on the draining connection: %s", next).isEqualTo(200);
            assertThat(next.pid()).isEqualTo(oldPid);
            assertThat(next.closes()).as("answered with Connection: close: %s", next).isTrue();
        }
        assertThat(connection.closedByServer()).isTrue();
    }

    static LoadOptions load(InetSocketAddress target, int connections, ConnectionMode mode) {
        return LoadOptions.of(target).withConnections(connections).withMode(mode).withDuration(Duration.ofMinutes(8));
    }

    static void awaitRead(SampleApp app, Http connection) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(() -> ProcNet.serverHasRead(app.port(), connection.localPort()));
    }
}
