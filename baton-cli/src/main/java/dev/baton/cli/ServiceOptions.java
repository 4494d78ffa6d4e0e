package dev.baton.cli;

import dev.baton.BatonControl;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which running service a command talks to: by name (default {@code baton}) or by control socket path. */
final class ServiceOptions {

    @Option(names = "--name", paramLabel = "NAME", description = "The service's name (default: ${DEFAULT-VALUE}).",
            defaultValue = "baton")
    String name;

    @Option(names = "--socket", paramLabel = "PATH", description = "The service's control socket, instead of --name.")
    Path socket;

    BatonControl control() {
        return socket != null ? BatonControl.at(socket) : BatonControl.forService(name);
    }
}
