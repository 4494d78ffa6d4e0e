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

/**
 * A fleet of three demo servers behind HAProxy (TCP mode, {@code retries 0}, health checks on {@code GET /ready}
 * every 500 ms) under closed-loop load, on loopback: {@code bench/fleet/run}, the benchmark itself, run as a
 * black box. A fleet-wide in-place upgrade fails nothing and HAProxy never marks a server down.
 *
 * <p>In the suite: the fleet-wide in-place upgrade only. The rolling replacements (with the shutdown delay, and
 * without it for comparison) are the benchmark's: {@code bench/fleet/run delay nodelay}; they took too long
 * on 2 cores to keep in the suite (a replacement starts a demo server cold). Needs Debian's haproxy, which
 * {@code .ci/run} installs.
 */
class FleetIT {

    private static final Pattern LINE = Pattern.compile("fleet (\\w+): failed=(\\d+) requests=(\\d+) downs=(\\d+)");

    @TempDir
    Path directory;

    record Outcome(String scenario, long failed, long requests, long downs) {}

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void fleet_inPlaceUpgradeOneServerAfterTheOther_noFailedRequest_noServerMarkedDown() throws Exception {
        assertThat(haproxy()).as("haproxy is not installed: apt-get install -y haproxy (.ci/run does it)").isTrue();
        Path script = Path.of("..", "bench", "fleet", "run").toAbsolutePath().normalize();
        Path output = directory.resolve("fleet.out");
        ProcessBuilder builder = new ProcessBuilder(script.toString(), "inplace")
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("FLEET_DEMO_CP", System.getProperty("java.class.path"));
        builder.environment().put("FLEET_CLI_CP", System.getProperty("java.class.path"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        try {
            if (!process.waitFor(14, TimeUnit.MINUTES)) {
                throw new AssertionError("bench/fleet/run did not end within 14 minutes:\n" + read(output));
            }
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        String text = read(output);
        System.out.println(text);
        List<Outcome> outcomes = LINE.matcher(text).results().map(FleetIT::outcome).toList();

        assertThat(outcomes).as(text).extracting(Outcome::scenario).containsExactly("inplace");
        assertThat(outcomes).as(text).allSatisfy(o -> assertThat(o.requests()).isPositive());
        assertThat(outcomes.get(0)).as(text).extracting(Outcome::failed, Outcome::downs).containsExactly(0L, 0L);
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
