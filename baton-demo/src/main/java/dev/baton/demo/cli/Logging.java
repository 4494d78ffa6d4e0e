package dev.baton.demo.cli;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/** One log line per event, with time and level, on standard error; the servers' own chatter only from WARNING up. */
final class Logging {

    /** Held here: the log manager keeps loggers weakly, and a collected one forgets its level. */
    private static final List<Logger> QUIETED = List.of(
            Logger.getLogger("org.eclipse.jetty"), Logger.getLogger("io.netty"), Logger.getLogger("io.grpc"));

    private Logging() {}

    static void configure() {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$-7s %5$s%6$s%n");
        QUIETED.forEach(logger -> logger.setLevel(Level.WARNING));
    }
}
