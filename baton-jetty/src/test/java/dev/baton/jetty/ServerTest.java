package dev.baton.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

/**
 * What every test of a real server here shares: what it opened is closed after it, last opened first,
 * and neither draining nor stopping may log a warning.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class ServerTest {

    static final Duration WAIT = Duration.ofSeconds(15);

    /** The idle grace period of the servers these tests start; also their WebSocket close timeout. */
    static final Duration GRACE = Duration.ofSeconds(1);

    final List<AutoCloseable> toClose = new ArrayList<>();

    /** Starts a {@link ProtocolServer} on an h2c connector, stopped after the test. */
    ProtocolServer startH2c() throws Exception {
        ProtocolServer server = new ProtocolServer(BatonJetty::h2cConnector, GRACE);
        toClose.add(server::stop);
        return server;
    }

    @BeforeEach
    void clearLogs() {
        RecordingLogs.clear();
    }

    @AfterEach
    void stopServersAndCheckLogs() throws Exception {
        for (AutoCloseable closeable : toClose.reversed()) {
            closeable.close();
        }
        assertThat(RecordingLogs.warnings()).as("warnings logged while draining and stopping").isEmpty();
    }
}
