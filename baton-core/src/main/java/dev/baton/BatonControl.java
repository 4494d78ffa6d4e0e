package dev.baton;

import dev.baton.internal.control.ControlChannel;
import dev.baton.internal.control.ControlSocket;
import dev.baton.internal.control.ReloadResults;
import dev.baton.internal.protocol.Message;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * A client of a running service's control socket: what {@code baton reload | status | stop} use.
 * Each call opens a connection of its own. Only the socket's owner (or root) is let in.
 */
public final class BatonControl {

    private final Path socket;
    private final Duration timeout;

    private BatonControl(Path socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
    }

    /** The service called {@code name}, in the default control directory of this user. */
    public static BatonControl forService(String name) {
        return at(ControlSocket.path(ControlSocket.directory(System.getenv()), name));
    }

    /** The service whose control socket is at {@code socket}. */
    public static BatonControl at(Path socket) {
        return new BatonControl(Objects.requireNonNull(socket, "socket"), BatonOptions.DEFAULT_CONTROL_TIMEOUT);
    }

    /** The control socket this client talks to. */
    public Path socket() {
        return socket;
    }

    /**
     * Asks for an upgrade (or, under a supervisor, a worker replacement) and waits for its result.
     *
     * @param wait how long to wait for the result: the service's ready timeout and a margin
     * @throws IOException if the service cannot be reached, or refuses this client
     */
    public UpgradeResult reload(Duration wait) throws IOException {
        try (ControlChannel channel = ControlChannel.connect(socket, timeout)) {
            return switch (channel.request(new Message.ReloadRequest(), wait)) {
                case Message.ReloadResult r -> ReloadResults.fromMessage(r);
                case Message reply -> throw unexpected(reply);
            };
        } catch (EOFException e) {
            throw new EOFException("the service closed the control connection before it said how the reload went:"
                    + " it stopped or died meanwhile; 'baton status' shows what serves now");
        }
    }

    /** The service's state. */
    public ServiceStatus status() throws IOException {
        try (ControlChannel channel = ControlChannel.connect(socket, timeout)) {
            return switch (channel.request(new Message.StatusRequest(), timeout)) {
                case Message.StatusReply reply -> reply.status();
                case Message reply -> throw unexpected(reply);
            };
        }
    }

    /**
     * Asks the service to stop: gracefully (it drains), or at once if {@code now}.
     *
     * @return the pid that will stop
     */
    public long stop(boolean now) throws IOException {
        try (ControlChannel channel = ControlChannel.connect(socket, timeout)) {
            return switch (channel.request(new Message.StopRequest(now), timeout)) {
                case Message.StopAck ack -> ack.pid();
                case Message reply -> throw unexpected(reply);
            };
        }
    }

    private IOException unexpected(Message reply) {
        if (reply instanceof Message.Refused refused) {
            return new IOException("the service at " + socket + " refused: " + refused.reason());
        }
        return new IOException("the service at " + socket + " answered with an unexpected "
                + reply.getClass().getSimpleName());
    }
}
