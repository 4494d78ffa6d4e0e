package dev.baton.demo.cli;

import dev.baton.demo.DemoJobOptions;
import dev.baton.demo.DemoServerKind;
import dev.baton.load.ConnectionMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The options {@code baton demo} and {@code baton bench} share: the load and the upgrades. */
final class DemoArguments {

    @Option(names = "--connections", defaultValue = "" + DemoJobOptions.DEFAULT_CONNECTIONS, paramLabel = "N",
            description = "Concurrent connections (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--duration", defaultValue = "20s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long the load runs (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--upgrades", defaultValue = "" + DemoJobOptions.DEFAULT_UPGRADES, paramLabel = "N",
            description = "Upgrades during the load (default: ${DEFAULT-VALUE}).")
    int upgrades;

    @Option(names = "--new-connection-per-request",
            description = "Open a connection per request instead of keeping connections alive.")
    boolean newConnections;

    @Option(names = "--port", defaultValue = "0", paramLabel = "PORT", description = "The port (default: a free one).")
    int port;

    @Option(names = "--server", paramLabel = "SERVER", defaultValue = "jetty", converter = ServerKindConverter.class,
            description = "The demo server's server: jetty, netty, spring-tomcat, spring-jetty or spring-webflux "
                    + "(HTTP/1.1 load), or grpc (closed-loop Hello calls, "
                    + "one client per connection) (default: ${DEFAULT-VALUE}).")
    DemoServerKind server;

    DemoJobOptions options() throws IOException {
        Path work = Files.createTempDirectory("baton-demo-");
        return new DemoJobOptions(SelfCommand.of("demo-server"), port, connections,
                duration, upgrades,
                newConnections ? ConnectionMode.NEW_CONNECTION : ConnectionMode.KEEP_ALIVE, work, server);
    }
}
