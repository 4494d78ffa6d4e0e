package dev.baton.demo.cli;

import dev.baton.BatonOptions;
import dev.baton.demo.DemoServer;
import dev.baton.demo.DemoServerKind;
import dev.baton.demo.DemoServerOptions;
import dev.baton.demo.DemoTls;
import dev.baton.netty.Transport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code baton demo-server}: one generation of the demo server (Jetty, Netty or gRPC), upgraded by SIGHUP or SIGUSR2. */
@Command(name = "demo-server", mixinStandardHelpOptions = true,
        description = {"Run the demo server: GET / says which pid and generation answered; GET /sleep?ms=N "
                + "sleeps first (for --server grpc: the demo gRPC service, Hello and Ticks, and the health "
                + "service). SIGHUP or SIGUSR2 upgrades it (the config file is read again), SIGTERM stops it "
                + "gracefully."})
final class DemoServerCommand implements Callable<Integer> {

    @Option(names = "--port", required = true, paramLabel = "PORT", description = "The TCP port to serve on.")
    int port;

    @Option(names = "--server", paramLabel = "SERVER", defaultValue = "jetty", converter = ServerKindConverter.class,
            description = "The server: jetty, netty or grpc (default: ${DEFAULT-VALUE}).")
    DemoServerKind server;

    @Option(names = "--netty-transport", paramLabel = "TRANSPORT", defaultValue = "nio",
            description = "The transport of --server netty: nio or epoll (default: ${DEFAULT-VALUE}).")
    Transport nettyTransport;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "The address to listen on; empty for every address (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--config", paramLabel = "FILE", description = "A properties file read at every start: "
            + "greeting=..., warmup.ms=N, startup.exit.status=N.")
    Path config;

    @Option(names = "--pidfile", paramLabel = "FILE", description = "Keep the serving generation's pid here.")
    Path pidFile;

    @Option(names = "--name", paramLabel = "NAME", description = "The service name (default: demo-PORT).")
    String name;

    @Option(names = "--ready-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "60s", description = "How long a new generation may take to be ready (default: ${DEFAULT-VALUE}).")
    Duration readyTimeout;

    @Option(names = "--drain-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "30s", description = "How long an old generation may drain before it is hammered "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration drainTimeout;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "Serve HTTPS (h2 and HTTP/1.1 by ALPN) with "
            + "this PEM certificate chain; needs --tls-key. Read again by every generation.")
    Path tlsCertificate;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "The PEM (PKCS#8) private key of --tls-cert.")
    Path tlsKey;

    @Override
    public Integer call() throws Exception {
        DemoTls tls;
        try {
            tls = DemoTls.of(tlsCertificate, tlsKey);
        } catch (IllegalArgumentException e) {
            System.err.println("demo-server: " + e.getMessage());
            return 2;
        }
        if (tls != null && server == DemoServerKind.GRPC) {
            System.err.println("demo-server: --tls-cert and --tls-key serve HTTPS on --server jetty or netty, not grpc");
            return 2;
        }
        Logging.configure();
        BatonOptions baton = BatonOptions.builder()
                .name(name != null ? name : DemoServerOptions.defaultName(port))
                .pidFile(pidFile)
                .readyTimeout(readyTimeout)
                .drainTimeout(drainTimeout)
                .build();
        PrintStream err = System.err;
        return DemoServer.run(new DemoServerOptions(host, port, config, baton, server, nettyTransport, tls), err);
    }
}
