package dev.baton.demo.cli;

import java.util.logging.Level;
import java.util.logging.Logger;

/** One log line per event, with time and level, on standard error; Jetty's own chatter only from WARNING up. */
final class Logging {

    private Logging() {}

    static void configure() {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$-7s %5$s%6$s%n");
        Logger.getLogger("org.eclipse.jetty").setLevel(Level.WARNING);
    }
}
