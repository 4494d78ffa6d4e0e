package dev.baton.demo;

import dev.baton.BatonOptions;
import dev.baton.load.ConnectionMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How {@code baton demo} (and {@code baton bench}) run: the demo server under a closed-loop load,
 * upgraded several times meanwhile.
 *
 * @param serverCommand the command that starts the demo server, up to and including {@code demo-server}
 * @param port the port, or 0 for a free one
 * @param connections the load's concurrent connections
 * @param duration how long the load runs
 * @param upgrades how many upgrades happen during it, evenly spaced
 * @param mode keep-alive or a new connection per request
 * @param workDirectory where the server's log, pidfile and configuration go
 * @param server the server the demo server runs; for gRPC the load is {@code connections} clients calling
 *     {@code Hello}, and {@code mode} does not apply
 * @param protocol what the load speaks; {@code mode} applies to HTTP/1.1 only
 * @param path what the HTTP load asks for, such as {@code /} or {@code /sleep?ms=20}; not for gRPC
 */
public record DemoJobOptions(List<String> serverCommand, int port, int connections, Duration duration, int upgrades,
        ConnectionMode mode, Path workDirectory, DemoServerKind server, DemoProtocol protocol, String path) {

    public static final int DEFAULT_CONNECTIONS = 32;
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(20);
    public static final int DEFAULT_UPGRADES = 5;

    public DemoJobOptions {
        serverCommand = List.copyOf(serverCommand);
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(workDirectory, "workDirectory");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(protocol, "protocol");
        if (!protocol.isServedBy(server)) {
            throw new IllegalArgumentException("the " + server.label() + " demo server does not serve protocol "
                    + protocol.label() + "; " + (server == DemoServerKind.GRPC ? "it serves grpc"
                            : server == DemoServerKind.JETTY || server == DemoServerKind.NETTY
                                    ? "it serves http1, h2c, h2 and ws" : "it serves http1, h2c and ws"));
        }
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("the load's path must start with /, not '" + path + "'");
        }
        if (serverCommand.isEmpty()) {
            throw new IllegalArgumentException("serverCommand is empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 to 65535, not " + port);
        }
        if (connections < 1 || connections > 10_000) {
            throw new IllegalArgumentException("connections must be 1 to 10000, not " + connections);
        }
        if (duration.compareTo(Duration.ofSeconds(1)) < 0 || duration.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("duration must be 1s to 1h, not " + BatonOptions.formatDuration(duration));
        }
        if (upgrades < 0 || upgrades > 100) {
            throw new IllegalArgumentException("upgrades must be 0 to 100, not " + upgrades);
        }
    }

    /** The job loading {@code GET /} in the default protocol of {@code server}. */
    public DemoJobOptions(List<String> serverCommand, int port, int connections, Duration duration, int upgrades,
            ConnectionMode mode, Path workDirectory, DemoServerKind server) {
        this(serverCommand, port, connections, duration, upgrades, mode, workDirectory, server,
                DemoProtocol.defaultFor(server), "/");
    }

    /** These options with another protocol. */
    public DemoJobOptions withProtocol(DemoProtocol newProtocol) {
        return new DemoJobOptions(serverCommand, port, connections, duration, upgrades, mode, workDirectory, server,
                newProtocol, path);
    }

    /** These options with another load path. */
    public DemoJobOptions withPath(String newPath) {
        return new DemoJobOptions(serverCommand, port, connections, duration, upgrades, mode, workDirectory, server, protocol, newPath);
    }

    /** These options with {@code arguments} added to the server's command, such as {@code --no-warm-up}. */
    public DemoJobOptions withServerArguments(List<String> arguments) {
        List<String> command = new ArrayList<>(serverCommand);
        command.addAll(arguments);
        return new DemoJobOptions(command, port, connections, duration, upgrades, mode, workDirectory, server, protocol, path);
    }
}
