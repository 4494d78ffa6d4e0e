package dev.baton.demo;

import dev.baton.BatonOptions;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How to run the demo server.
 *
 * @param host the address to listen on ({@code 127.0.0.1} by default; empty for every address)
 * @param port the TCP port
 * @param config the properties file read at every start, or {@code null} for the defaults
 * @param baton the Baton options: name, pidfile, timeouts
 */
public record DemoServerOptions(String host, int port, Path config, BatonOptions baton) {

    public DemoServerOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(baton, "baton");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 to 65535, not " + port);
        }
    }

    /** The listen address, as Baton reads it. */
    public String listenAddress() {
        if (host.isEmpty()) {
            return ":" + port;
        }
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** The service name used when none is given: one per port, so that several demos can run side by side. */
    public static String defaultName(int port) {
        return "demo-" + port;
    }
}
