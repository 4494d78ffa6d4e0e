package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * A fleet of three demo servers behind HAProxy (TCP mode, {@code retries 0}, health checks on {@code GET /ready}
 * every 200 ms, fall 2, rise 1) under closed-loop load, on loopback: {@code bench/fleet/run}, the benchmark
 * itself, run as a black box over one fleet and one HAProxy:
 * <ul>
 * <li>a fleet-wide in-place upgrade ({@code baton reload} one server after the other): zero failed, and HAProxy
 *     never marks a server down;</li>
 * <li>a rolling replacement, each server stopped by SIGTERM with a 600 ms shutdown delay (HAProxy needs two
 *     failed checks, 400 ms, to take it out) and a new one started on its port: zero failed, each server marked
 *     down by its 503 before it stopped accepting;</li>
 * <li>the same without the delay, for one server: HAProxy still sends to a server that refuses, and the load
 *     counts failures.
 *     Those are printed, and asserted to be there: a zero would mean the load never reached the stopped server,
 *     so the two other runs would prove nothing either.</li>
 * </ul>
 * About 45 s on an idle 2-core machine (four JVMs replaced cold, three upgraded in place, with
 * {@code --no-warm-up}, 8 load connections, lean server JVMs). Needs Debian's haproxy, which {@code .ci/run} installs; without it the test fails
 * saying so.
 */
@Isolated // runs alone (junit-platform.properties): HAProxy, a fleet and a closed-loop load
class FleetIT {

    private static final Pattern LINE = Pattern.compile(
            "fleet (\\w+): failed=(\\d+) requests=(\\d+) downs=(\\d+) seconds=(\\d+)");

    @TempDir
    Path directory;

    record Outcome(String scenario, long failed, long requests, long downs) {}

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void fleet_inPlaceUpgradeLosesNothing_rollingReplacementWithDelayLosesNothing_withoutDelayFails()
            throws Exception {
        assertThat(haproxy()).as("haproxy is not installed: apt-get install -y haproxy (.ci/run does it as root)")
                .isTrue();
        Path script = Path.of("..", "bench", "fleet", "run").toAbsolutePath().normalize();
        Path output = directory.resolve("fleet.out");
        ProcessBuilder builder = new ProcessBuilder(script.toString(), "inplace", "delay", "nodelay")
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("FLEET_NODELAY_SERVERS", "1"); // one cold replacement shows the failures
        // 8 connections and lean server JVMs (C1, the serial collector; successors keep their command line): the
        // guarantee is the same, and the cold starts the test waits for take half as long on 2 cores.
        builder.environment().put("FLEET_CLIENTS", "8");
        builder.environment().put("FLEET_SERVER_JVM_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        builder.environment().put("FLEET_DEMO_CP", System.getProperty("java.class.path"));
        builder.environment().put("FLEET_CLI_CP", System.getProperty("java.class.path"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        try {
            if (!process.waitFor(9, TimeUnit.MINUTES)) {
                throw new AssertionError("bench/fleet/run did not end within 9 minutes:\n" + read(output));
            }
        } finally {
            process.destroy(); // its EXIT trap stops HAProxy, the load and every server
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        String text = read(output);
        System.out.println(text);
        List<Outcome> outcomes = LINE.matcher(text).results().map(FleetIT::outcome).toList();

        assertThat(outcomes).as(text).extracting(Outcome::scenario).containsExactly("inplace", "delay", "nodelay");
        assertThat(outcomes).as(text).allSatisfy(o -> assertThat(o.requests()).isPositive());
        Outcome inPlace = outcomes.get(0);
        Outcome delay = outcomes.get(1);
        Outcome noDelay = outcomes.get(2);
        assertThat(inPlace).as(text).extracting(Outcome::failed, Outcome::downs).containsExactly(0L, 0L);
        assertThat(delay.failed()).as(text).isZero();
        assertThat(delay.downs()).as("each replaced server taken out by its 503: %s", text).isGreaterThanOrEqualTo(3);
        assertThat(noDelay.failed()).as("failures without the delay: %s", text).isPositive();
        assertThat(process.exitValue()).as(text).isZero();
    }

    private static Outcome outcome(java.util.regex.MatchResult m) {
        return new Outcome(m.group(1), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                Long.parseLong(m.group(4)));
    }

    private static boolean haproxy() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, "haproxy"))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin/haproxy"));
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "(no output)";
    }
}
