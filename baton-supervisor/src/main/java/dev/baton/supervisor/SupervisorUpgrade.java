package dev.baton.supervisor;

import dev.baton.internal.control.ControlChannel;
import dev.baton.internal.protocol.Message;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The client side of {@code baton upgrade-supervisor}: asks a running supervisor, over its control
 * socket, to re-execute its own program in place, and waits for the answer, which comes from the new
 * program image on the same connection (it is carried across the {@code execve}) or, if the upgrade
 * was refused or failed, from the old one, still serving.
 */
public final class SupervisorUpgrade {

    /**
     * How it went.
     *
     * @param succeeded whether the new program image serves
     * @param refused whether the supervisor refused to try (it was busy, or is not a supervisor)
     * @param pid the supervisor's pid, the same before and after (0 if refused)
     * @param workers how many workers it kept
     * @param elapsedMillis from the request until the new image served (or the failure)
     * @param message one line for a person
     */
    public record Result(boolean succeeded, boolean refused, long pid, int workers, long elapsedMillis,
            String message) {}

    private SupervisorUpgrade() {}

    /**
     * Asks the supervisor whose control socket is {@code socket} to upgrade itself in place.
     *
     * @param wait how long to wait for the answer
     * @throws IOException if it cannot be reached, or the connection ended without an answer (the new
     *     program image did not come up; the message says what that means)
     */
    public static Result request(Path socket, Duration wait) throws IOException {
        try (ControlChannel channel = ControlChannel.connect(socket, wait)) {
            channel.send(new Message.UpgradeSupervisorRequest());
            Message reply;
            try {
                reply = channel.receiveMessage(wait);
            } catch (EOFException e) {
                throw new IOException("the supervisor at " + socket + " closed the connection without answering: its "
                        + "new program image did not come up (see its log); its workers go on serving on their own", e);
            }
            return switch (reply) {
                case Message.UpgradeSupervisorResult r -> new Result(r.succeeded(), false, r.pid(), r.workers(),
                        r.elapsedMillis(), r.message());
                case Message.Refused r -> new Result(false, true, 0, 0, 0, r.reason()
                        + (r.reason().startsWith("unexpected") ? " (is it a supervisor started by 'baton run'? "
                        + "an in-process Baton service upgrades with 'baton reload')" : ""));
                default -> throw new IOException("the service at " + socket + " answered with an unexpected "
                        + reply.getClass().getSimpleName());
            };
        }
    }
}
