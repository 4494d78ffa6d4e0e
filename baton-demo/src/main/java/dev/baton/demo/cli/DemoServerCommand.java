package dev.baton.demo.cli;

import dev.baton.BatonOptions;
import dev.baton.demo.DemoServer;
import dev.baton.demo.DemoServerKind;
import dev.baton.demo.DemoServerOptions;
import dev.baton.demo.DemoTls;
import dev.baton.jetty.BatonJetty;
import dev.baton.netty.Transport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code baton demo-server}: one generation of the demo server (Jetty, Netty or gRPC), upgraded by SIGHUP (or SIGUSR2 where the JVM leaves it free). */
@Command(name = "demo-server", mixinStandardHelpOptions = true,
        description = {"Run the demo server: GET / says which pid and generation answered; GET /sleep?ms=N "
                + "sleeps first; GET /ready answers 200, and 503 once a final stop began (for --server grpc: the demo gRPC service, Hello and Ticks, and the health "
                + "service). SIGHUP (SIGUSR2 when _JAVA_SR_SIGNUM frees it) upgrades it (the config file is read again), SIGTERM stops it "
                + "gracefully."})
final class DemoServerCommand implements Callable<Integer> {

    @Option(names = "--port", required = true, paramLabel = "PORT", description = "The TCP port to serve on.")
    int port;

    @Option(names = "--server", paramLabel = "SERVER", defaultValue = "jetty", converter = ServerKindConverter.class,
            description = "The server: jetty, netty, grpc, or the Spring Boot sample on spring-tomcat, spring-jetty or"
                    + " spring-webflux (default: ${DEFAULT-VALUE}).")
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

    @Option(names = "--warm-up", paramLabel = "ROUNDS", defaultValue = "" + DemoServerOptions.DEFAULT_WARM_UP_ROUNDS,
            description = "Before ready, send GET / and GET /sleep?ms=0 this many times each through the server's own "
                    + "handlers, which no socket sees (jetty and netty; at most 5 s) (default: ${DEFAULT-VALUE}).")
    int warmUpRounds;

    @Option(names = "--no-warm-up", description = "Say ready without a warm-up (the same as --warm-up 0).")
    boolean noWarmUp;

    @Option(names = "--aot-cache", paramLabel = "DIR", description = "Start every successor from the JDK's AOT cache "
            + "that Baton trains in DIR (default: $BATON_AOT_CACHE; ./baton sets it to baton-demo/target/aot).")
    Path aotCache;

    @Option(names = "--metrics", description = "Show Baton's meters at GET /metrics, in the Prometheus text format "
            + "(jetty and netty).")
    boolean metrics;

    @Option(names = "--shutdown-delay", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "0s", description = "On SIGTERM or baton stop: answer 503 on GET /ready at once but "
                    + "keep accepting and serving this long, then drain (default: ${DEFAULT-VALUE}).")
    Duration shutdownDelay;

    @Option(names = "--probation", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "1s", description = "How long an old generation waits, not accepting, to see its successor "
                    + "live before it drains; 0s for none (default: ${DEFAULT-VALUE}).")
    Duration probation;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "Serve HTTPS (h2 and HTTP/1.1 by ALPN) with "
            + "this PEM certificate chain; needs --tls-key. Read again by every generation.")
    Path tlsCertificate;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "The PEM (PKCS#8) private key of --tls-cert.")
    Path tlsKey;

    @Override
    public Integer call() throws Exception {
        if (server == DemoServerKind.JETTY) {
            BatonJetty.initializeInBackground(); // while Baton takes over: a successor is ready sooner
        }
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
                .aotCache(aotCache)
                .shutdownDelay(shutdownDelay)
                .probation(probation)
                .build();
        PrintStream err = System.err;
        DemoServerOptions options;
        try {
            options = new DemoServerOptions(host, port, config, baton, server, nettyTransport,
                    noWarmUp ? 0 : warmUpRounds, metrics, tls);
        } catch (IllegalArgumentException e) {
            err.println("demo-server: " + e.getMessage());
            return 2;
        }
        return DemoServer.run(options, err);
    }
}
