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
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The sample jar, run with {@code java -jar} on Tomcat, on Jetty and on Reactor Netty (WebFlux), upgraded in place: no failed
 * request under load, requests in flight finish on the old generation, a broken successor is rolled back, and
 * Actuator readiness answers 200 throughout.
 *
 * <p>A JVM start is what these tests cost, so one running app per server serves every case in turn: each case
 * starts from whichever generation serves then, with the config file emptied.
 */
@Isolated // runs alone (junit-platform.properties): closed-loop loads across upgrades
@Timeout(600)
class SpringUpgradeIT {

    @Nested
    class OnTomcat extends OneAppPerServer {

        OnTomcat() {
            super("tomcat");
        }

        @Test
        @Order(2)
        void upgrade_successorStoppedBeforeReady_reportSaysWhereItsStartWas() throws Exception {
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

    @Nested
    class OnJetty extends OneAppPerServer {

        OnJetty() {
            super("jetty");
        }
    }

    @Nested
    class OnWebFlux extends OneAppPerServer {

        OnWebFlux() {
            super("webflux");
        }
    }

    /** The cases every server passes, in order, on one app started before the first. */
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    abstract class OneAppPerServer {

        private final String server;
        SampleApp app;

        OneAppPerServer(String server) {
            this.server = server;
        }

        @BeforeAll
        void startTheApp(@TempDir Path directory) throws IOException {
            // Idle kept-alive connections stay open for 10 s of a drain, so the slow case can send on one in time.
            app = SampleApp.start(directory, server, "", "--baton.idle-grace=10s");
        }

        @AfterAll
        void stopTheApp() {
            if (app != null) {
                app.close();
            }
        }

        @BeforeEach
        void servingWithAnEmptyConfig() throws IOException {
            app.writeConfig("");
            app.servingPid();
        }

        /**
         * One load through four generations, three upgrades: a SIGHUP with a 3 s request in flight, then a
         * successor whose context fails (rolled back), then two reloads that succeed. Readiness is polled all along.
         */
        @Test
        @Order(1)
        void threeUpgradesUnderLoad_slowRequestsFinishOnTheOldPid_brokenSuccessorRolledBack_noFailedRequest()
                throws Exception {
            long first = app.servingPid();
            InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), app.port());
            try (LoadRun keepAlive = LoadGenerator.start(load(target, 8, ConnectionMode.KEEP_ALIVE));
                    LoadRun perRequest = LoadGenerator.start(load(target, 2, ConnectionMode.NEW_CONNECTION));
                    ReadinessPoller readiness = ReadinessPoller.start(app.port())) {
                long second = sighupWithSlowRequestsInFlight(first);
                app.awaitExit(first);
                long third = brokenSuccessorRolledBackThenReloaded(second);
                app.awaitExit(second);
                awaitAnswersFrom(3, keepAlive, perRequest);
                UpgradeResult last = app.reload();
                assertThat(last.succeeded()).as("the third upgrade: %s%s", last, app.logTail()).isTrue();
                long fourth = last.successorPid();
                app.awaitExit(third);
                awaitAnswersFrom(4, keepAlive, perRequest); // the last generation too
                LoadReport kept = keepAlive.stop();
                LoadReport fresh = perRequest.stop();
                readiness.stop();
                app.recordPids(kept);
                app.recordPids(fresh);
                assertThat(kept.failures()).as("keep-alive load on %s:\n%s%s", server, kept.toTable(), app.logTail())
                        .isZero();
                assertThat(fresh.failures()).as("new-connection load on %s:\n%s%s", server, fresh.toTable(),
                        app.logTail()).isZero();
                assertThat(kept.pids().keySet()).as("pids that answered the keep-alive load")
                        .contains(first, second, third, fourth);
                assertThat(fresh.pids().keySet()).as("pids that answered the new-connection load")
                        .contains(first, second, third, fourth);
                assertThat(readiness.notUp()).as("readiness answers other than 200 on %s%s", server, app.logTail())
                        .isEmpty();
                assertThat(readiness.answers()).isGreaterThan(50);
            }
        }

        /**
         * A 3 s request is in flight at the SIGHUP: the old generation answers it. A request sent on a kept-alive
         * connection once the successor serves (the old one is on probation, 1 s, then drains; the connection is
         * idle, within the idle grace) is in flight as the drain begins or arrives during it: either way the old
         * one answers it, then closes the connection.
         */
        private long sighupWithSlowRequestsInFlight(long old) throws Exception {
            try (Http threeSeconds = new Http(app.port()); Http keptAlive = new Http(app.port())) {
                assertThat(keptAlive.send("/").pid()).as("a kept-alive connection to the old generation").isEqualTo(old);
                threeSeconds.write("/sleep?ms=3000");
                awaitRead(app, threeSeconds);
                app.kill("HUP", old);
                Http.Answer slow = threeSeconds.read();
                long successor = app.awaitServingOtherThan(old);
                Http.Answer duringTheDrain = keptAlive.send("/sleep?ms=3000");
                assertThat(slow.status()).isEqualTo(200);
                assertThat(slow.pid()).as("the 3 s request's answer: %s", slow).isEqualTo(old);
                assertThat(duringTheDrain.status()).as("%s", duringTheDrain).isEqualTo(200);
                assertThat(duringTheDrain.pid()).as("the request through the drain: %s", duringTheDrain).isEqualTo(old);
                assertConnectionClosesCleanly(keptAlive, duringTheDrain, old);
                assertThat(Http.get(app.port(), "/").pid()).isEqualTo(successor);
                return successor;
            }
        }

        /** A successor whose context fails is rolled back with its message; the next reload succeeds. */
        private long brokenSuccessorRolledBackThenReloaded(long old) throws Exception {
            app.writeConfig("sample.fail-on-start=true\n");
            UpgradeResult failed = app.reload();
            assertThat(failed.succeeded()).as("%s", failed).isFalse();
            assertThat(String.join("\n", failed.lastOutput()))
                    .contains("sample.fail-on-start is set: this generation refuses to start");
            assertThat(Http.get(app.port(), "/").pid()).isEqualTo(old);
            app.writeConfig("");
            UpgradeResult next = app.reload();
            assertThat(next.succeeded()).as("the next attempt: %s%s", next, app.logTail()).isTrue();
            return next.successorPid();
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

    /** Waits until each load has had answers from {@code pids} processes. */
    static void awaitAnswersFrom(int pids, LoadRun... loads) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> Arrays.stream(loads).allMatch(load -> load.snapshot().distinctPids() >= pids));
    }

    /**
     * A closed-loop load that never retries. Each request asks for {@code /sleep?ms=2}, so that it is in flight a
     * while (held when a drain begins) and the loops leave some CPU to a successor's start: it runs at nice 10,
     * and a flat-out loop on {@code /} kept a Spring successor from being ready for 10 to 14 s on 2 cores.
     */
    static LoadOptions load(InetSocketAddress target, int connections, ConnectionMode mode) {
        return LoadOptions.of(target).withPath("/sleep?ms=2").withConnections(connections).withMode(mode)
                .withDuration(Duration.ofMinutes(8));
    }

    static void awaitRead(SampleApp app, Http connection) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(() -> ProcNet.serverHasRead(app.port(), connection.localPort()));
    }
}
