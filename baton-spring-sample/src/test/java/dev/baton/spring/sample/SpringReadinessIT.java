package dev.baton.spring.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Actuator readiness belongs to the service: REFUSING_TRAFFIC (503) once a final stop begins; after the drain
 * the JVM exits 0. (UP on both generations through an in-place upgrade, on every server: SpringUpgradeIT.)
 */
@Timeout(600)
class SpringReadinessIT {

    private static final String READINESS = ReadinessPoller.READINESS;

    @TempDir
    Path directory;

    @ParameterizedTest
    @ValueSource(strings = {"tomcat", "jetty", "webflux"})
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
}
