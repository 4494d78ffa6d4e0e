package dev.baton.spring.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Actuator readiness belongs to the service: UP on both generations through an in-place upgrade,
 * REFUSING_TRAFFIC (503) once a final stop begins; after the drain the JVM exits 0.
 */
@Timeout(600)
class SpringReadinessIT {

    private static final String READINESS = "/actuator/health/readiness";

    @TempDir
    Path directory;

    @ParameterizedTest
    @ValueSource(strings = {"tomcat", "jetty"})
    void readiness_polledThroughAnUpgrade_answers200EveryTime(String server) throws Exception {
        try (SampleApp app = SampleApp.start(directory, server, "")) {
            long old = app.servingPid();
            List<String> notUp = new CopyOnWriteArrayList<>();
            List<Integer> statuses = new CopyOnWriteArrayList<>();
            AtomicBoolean polling = new AtomicBoolean(true);
            Thread fresh = Thread.ofPlatform().start(() -> poll(app, polling, false, statuses, notUp));
            Thread keptAlive = Thread.ofPlatform().start(() -> poll(app, polling, true, statuses, notUp));
            try {
                long successor = app.upgradeWithSighup();
                app.awaitExit(old);
                await().atMost(Duration.ofSeconds(10)).until(() -> Http.get(app.port(), "/").pid() == successor);
            } finally {
                polling.set(false);
                fresh.join(TimeUnit.SECONDS.toMillis(60));
                keptAlive.join(TimeUnit.SECONDS.toMillis(60));
            }
            assertThat(notUp).as("readiness answers other than 200 through the upgrade%s", app.logTail()).isEmpty();
            assertThat(statuses).hasSizeGreaterThan(50);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tomcat", "jetty"})
    void stop_sigterm_readinessRefusesTrafficWhileDrainingAndTheJvmExitsZero(String server) throws Exception {
        try (SampleApp app = SampleApp.start(directory, server, "", "--baton.idle-grace=10s")) {
            long pid = app.servingPid();
            try (Http kept = new Http(app.port()); Http slow = new Http(app.port())) {
                assertThat(kept.send(READINESS).status()).isEqualTo(200);
                slow.write("/sleep?ms=4000");
                SpringUpgradeIT.awaitRead(app, slow);
                app.kill("TERM", pid);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> app.logText().contains("readiness is REFUSING_TRAFFIC"));
                Http.Answer refusing = kept.send(READINESS);
                assertThat(refusing.status()).as("readiness after SIGTERM: %s", refusing).isEqualTo(503);
                assertThat(refusing.body()).contains("OUT_OF_SERVICE");
                Http.Answer slowAnswer = slow.read();
                assertThat(slowAnswer.status()).as("the request in flight at SIGTERM: %s", slowAnswer).isEqualTo(200);
                assertThat(slowAnswer.pid()).isEqualTo(pid);
            }
            assertThat(app.firstGeneration().waitFor(60, TimeUnit.SECONDS)).as("exited%s", app.logTail()).isTrue();
            assertThat(app.firstGeneration().exitValue()).as("exit status%s", app.logTail()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tomcat", "jetty"})
    void stop_secondSigterm_closesWhatIsLeftAtOnceAndTheJvmExits(String server) throws Exception {
        try (SampleApp app = SampleApp.start(directory, server, "")) {
            long pid = app.servingPid();
            try (Http slow = new Http(app.port())) {
                slow.write("/sleep?ms=40000");
                SpringUpgradeIT.awaitRead(app, slow);
                app.kill("TERM", pid);
                await().atMost(Duration.ofSeconds(30)).until(() -> app.logText().contains("draining ("));
                long secondAt = System.nanoTime();
                app.kill("TERM", pid);
                assertThat(app.firstGeneration().waitFor(20, TimeUnit.SECONDS))
                        .as("exited soon after the second SIGTERM%s", app.logTail()).isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - secondAt)).isLessThan(Duration.ofSeconds(20));
                assertThat(app.logText()).contains("connections still open; closed them");
                assertThat(slow.closedByServer()).as("the request in flight was cut").isTrue();
            }
        }
    }

    /** Polls readiness until told to stop; a kept-alive poller reconnects only after Connection: close. */
    private static void poll(SampleApp app, AtomicBoolean polling, boolean keepAlive, List<Integer> statuses,
            List<String> notUp) {
        Http connection = null;
        try {
            while (polling.get()) {
                try {
                    if (connection == null) {
                        connection = new Http(app.port());
                    }
                    Http.Answer answer = connection.send(READINESS);
                    statuses.add(answer.status());
                    if (answer.status() != 200) {
                        notUp.add(answer.toString());
                    }
                    if (!keepAlive || answer.closes()) {
                        connection.close();
                        connection = null;
                    }
                } catch (IOException e) {
                    notUp.add((keepAlive ? "kept-alive: " : "new connection: ") + e);
                    connection = null;
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (connection != null) {
                try {
                    connection.close();
                } catch (IOException ignored) {
                    // the test is over
                }
            }
        }
    }
}
