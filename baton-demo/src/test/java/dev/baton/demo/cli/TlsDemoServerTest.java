package dev.baton.demo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.demo.DemoJob;
import dev.baton.demo.DemoJobOptions;
import dev.baton.demo.DemoProtocol;
import dev.baton.demo.DemoServerKind;
import dev.baton.demo.DemoTls;
import dev.baton.load.ConnectionMode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TLS on the demo servers as real processes: {@code baton demo --protocol h2} (the job makes a throwaway
 * self-signed pair, starts {@code demo-server --tls-cert --tls-key} and drives h2 by ALPN through the
 * JDK's client) across a SIGHUP upgrade, the new generation reading the files again, with no failed
 * request and answers from both generations; and a key that does not match its certificate refused
 * with both files named.
 */
@Isolated // runs alone (junit-platform.properties): the demo job: a load across an upgrade
class TlsDemoServerTest {

    @TempDir
    static Path pairs;

    private static DemoTls demo;
    private static DemoTls other;

    @TempDir
    Path directory;

    @BeforeAll
    static void makePairs() throws Exception { // once for the class: the cases only read them
        demo = DemoTls.throwaway(pairs.resolve("demo"));
        other = DemoTls.throwaway(pairs.resolve("other"));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = DemoServerKind.class, names = {"JETTY", "NETTY"})
    void demoJob_h2ByAlpnAcrossASighupUpgrade_noFailedRequest_bothGenerationsAnswer(DemoServerKind server)
            throws Exception {
        DemoJobOptions options = new DemoJobOptions(SelfCommand.of("demo-server"), 0, 4, Duration.ofSeconds(2), 1,
                ConnectionMode.KEEP_ALIVE, directory, server, DemoProtocol.H2, "/")
                .withServerArguments(List.of("--no-warm-up", "--drain-timeout", "10s"));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        DemoJob.Outcome outcome = DemoJob.run(options, new PrintStream(printed, true, StandardCharsets.UTF_8));

        String output = printed.toString(StandardCharsets.UTF_8);
        assertThat(outcome.passed()).as(output).isTrue();
        assertThat(outcome.load().pids()).as(output).hasSize(2);
        assertThat(output).contains("TLS: a throwaway self-signed certificate", "h2 (HTTPS, ALPN)");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jetty", "netty"})
    void tlsKeyOfAnotherCertificate_isRefused_namingBothFiles(String server) {
        assertThatThrownBy(() -> DemoServerRun.start(directory, "--server", server, "--no-warm-up",
                "--tls-cert", demo.certificate().toString(), "--tls-key", other.privateKey().toString()).close())
                .hasMessageContaining("exited with 1")
                .hasMessageContaining("does not match")
                .hasMessageContaining(demo.certificate().toString())
                .hasMessageContaining(other.privateKey().toString());
    }
}
