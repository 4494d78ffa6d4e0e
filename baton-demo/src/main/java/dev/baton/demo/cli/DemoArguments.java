package dev.baton.demo.cli;

import dev.baton.demo.DemoJobOptions;
import dev.baton.demo.DemoProtocol;
import dev.baton.demo.DemoServerKind;
import dev.baton.load.ConnectionMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The options {@code baton demo} and {@code baton bench} share: the load and the upgrades. */
final class DemoArguments {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

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

    @Option(names = "--protocol", paramLabel = "PROTOCOL", converter = ProtocolConverter.class,
            description = "What the load speaks: http1, h2c, h2 (HTTPS, a throwaway self-signed pair) or ws "
                    + "(websocket) for jetty and netty, grpc for grpc "
                    + "(default: http1, or grpc for --server grpc).")
    DemoProtocol protocol;

    DemoJobOptions options() throws IOException {
        DemoProtocol spoken = protocol != null ? protocol : DemoProtocol.defaultFor(server);
        if (!spoken.isServedBy(server)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--protocol " + spoken.label()
                    + " is not served by --server " + server.label() + "; use " + (server == DemoServerKind.GRPC
                            ? "--protocol grpc" : "--protocol http1, h2c, h2 or ws"));
        }
        Path work = Files.createTempDirectory("baton-demo-");
        try {
            return new DemoJobOptions(SelfCommand.of("demo-server"), port, connections, duration, upgrades,
                    newConnections ? ConnectionMode.NEW_CONNECTION : ConnectionMode.KEEP_ALIVE, work, server, spoken,
                    "/");
        } catch (IllegalArgumentException e) {
            // A value out of range is a usage error (exit 2), and its job gets no work directory.
            Files.delete(work);
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
