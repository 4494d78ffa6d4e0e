package dev.baton;

import dev.baton.internal.control.ControlChannel;
import dev.baton.internal.protocol.Message;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;

/**
 * An older generation's last word to the serving one: how long its drain took and how many connections
 * the hammer closed, so that the service's figures ({@code baton status}, the meters) count drains, which
 * end after the successor took over. Best effort: a serving generation that is gone misses it.
 */
final class DrainReport {

    private static final Logger LOG = System.getLogger("dev.baton");
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private DrainReport() {}

    static void send(Path controlPath, int generation, long pid, Duration took, int hammered, String logPrefix) {
        try (ControlChannel channel = ControlChannel.connect(controlPath, TIMEOUT)) {
            channel.send(new Message.DrainReport(generation, pid, took.toMillis(), hammered));
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> logPrefix + "could not report the drain to the serving generation at "
                    + controlPath + ": " + e.getMessage());
        }
    }
}
