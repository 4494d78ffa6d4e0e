package dev.baton.internal.control;

import dev.baton.internal.os.Descriptor;
import dev.baton.internal.os.DescriptorPassing;
import dev.baton.internal.os.Descriptors;
import dev.baton.internal.os.Errno;
import dev.baton.internal.os.PeerCredentials;
import dev.baton.internal.os.Sockets;
import dev.baton.internal.os.SystemCallException;
import dev.baton.internal.protocol.Message;
import dev.baton.internal.protocol.MessageCodec;
import dev.baton.internal.protocol.ProtocolException;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One connection of the control protocol: a connected SOCK_SEQPACKET Unix socket that moves one
 * {@link Message} per packet, with descriptors attached where the message calls for them.
 *
 * <p>Every receive is bounded by a timeout. Whatever is wrong with a received packet (oversized,
 * truncated, malformed, another version, a wrong number of descriptors), the descriptors that came
 * with it are closed before the error is thrown, so a hostile peer cannot make this process leak.
 * One thread uses a channel at a time.
 */
public final class ControlChannel implements AutoCloseable {

    private final Descriptor socket;

    private ControlChannel(Descriptor socket) {
        this.socket = socket;
    }

    /**
     * Takes ownership of a connected socket.
     *
     * @throws SystemCallException if its timeouts cannot be set; the socket stays the caller's then
     */
    static ControlChannel of(Descriptor socket, Duration ioTimeout) throws SystemCallException {
        Sockets.setTimeouts(socket.number(), ioTimeout);
        return new ControlChannel(socket);
    }

    /**
     * Connects to the control socket at {@code path}.
     *
     * @throws IOException naming the path and the reason: no such socket, nobody listening, no permission
     */
    public static ControlChannel connect(Path path, Duration ioTimeout) throws IOException {
        Descriptor socket = Descriptor.own(Sockets.newUnixSocket(Sockets.SOCK_SEQPACKET),
                "a control connection to " + path);
        try {
            Sockets.setTimeouts(socket.number(), ioTimeout);
            Sockets.connect(socket.number(), path);
            return new ControlChannel(socket);
        } catch (IllegalArgumentException e) {
            socket.close();
            throw new IOException("cannot connect to the control socket " + path + ": " + e.getMessage(), e);
        } catch (SystemCallException e) {
            socket.close();
            throw new IOException(switch (e) {
                case SystemCallException.NoSuchFile _ -> "no control socket at " + path
                        + ": is the service running under this name?";
                case SystemCallException.ConnectionRefused _ -> "nothing is listening on the control socket " + path
                        + ": the service that made it is gone";
                case SystemCallException.AccessDenied _ -> "permission denied on the control socket " + path
                        + ": only its owner (or root) may use it";
                default -> "cannot connect to the control socket " + path + ": " + e.getMessage();
            }, e);
        }
    }

    /**
     * The connected socket's descriptor, still owned by this channel: for a supervisor that carries the
     * connection across its own {@code execve} (a duplicate of it) to answer from its new program image.
     */
    public int descriptor() {
        return socket.number();
    }

    /** Who is at the other end. */
    public PeerCredentials peer() throws SystemCallException {
        return Sockets.peerCredentials(socket.number());
    }

    /**
     * Sends {@code message} with {@code fds} attached. They are lent for the call and stay the caller's:
     * the kernel puts duplicates into the receiver.
     */
    public void send(Message message, int... fds) throws IOException {
        if (fds.length != message.descriptorCount()) {
            throw new IllegalArgumentException(message.getClass().getSimpleName() + " carries "
                    + message.descriptorCount() + " descriptors, not " + fds.length);
        }
        DescriptorPassing.send(socket.number(), MessageCodec.encode(message), fds);
    }

    /**
     * Receives one message, waiting at most {@code timeout}.
     *
     * @throws SocketTimeoutException if none arrives in time
     * @throws EOFException if the peer closed the connection
     * @throws ProtocolException if the packet is not an acceptable message (its descriptors are closed)
     */
    public Envelope receive(Duration timeout) throws IOException {
        if (Descriptors.awaitReadable(new int[] {socket.number()}, timeout) < 0) {
            throw new SocketTimeoutException("no control message within " + timeout.toMillis() + " ms");
        }
        DescriptorPassing.Received received =
                DescriptorPassing.receive(socket.number(), MessageCodec.MAX_MESSAGE_BYTES, MessageCodec.MAX_DESCRIPTORS);
        try {
            if (received.endOfStream()) {
                throw new EOFException("the peer closed the control connection");
            }
            if (received.truncated()) {
                throw new ProtocolException("control message larger than " + MessageCodec.MAX_MESSAGE_BYTES
                        + " bytes refused");
            }
            if (received.controlTruncated()) {
                throw new ProtocolException("control message with more than " + MessageCodec.MAX_DESCRIPTORS
                        + " descriptors refused");
            }
            Message message = MessageCodec.decode(received.data());
            if (received.fds().size() != message.descriptorCount()) {
                throw new ProtocolException("a " + message.getClass().getSimpleName() + " message came with "
                        + received.fds().size() + " descriptors; it carries " + message.descriptorCount());
            }
            return new Envelope(message, received.fds());
        } catch (IOException | RuntimeException e) {
            received.closeDescriptors();
            throw e;
        }
    }

    /**
     * Receives a message that carries no descriptors.
     *
     * @throws ProtocolException if it carries some (they are closed)
     */
    public Message receiveMessage(Duration timeout) throws IOException {
        Envelope envelope = receive(timeout);
        if (!envelope.fds().isEmpty()) {
            envelope.closeDescriptors();
            throw new ProtocolException("a " + envelope.message().getClass().getSimpleName()
                    + " message came with descriptors where none were expected");
        }
        return envelope.message();
    }

    /**
     * Sends {@code request} and returns the reply. A server that refuses a peer (another user) replies
     * and closes without reading the request; the send or the receive then fails with EPIPE or
     * ECONNRESET while the refusal waits in the socket, so it is read once more before giving up.
     */
    public Message request(Message request, Duration timeout) throws IOException {
        try {
            send(request);
        } catch (SystemCallException.PeerGone e) {
            return queuedReplyOr(e);
        }
        try {
            return receiveMessage(timeout);
        } catch (SystemCallException e) {
            if (e.errno() != Errno.ECONNRESET) {
                throw e;
            }
            return queuedReplyOr(e);
        }
    }

    private Message queuedReplyOr(SystemCallException failure) throws IOException {
        try {
            return receiveMessage(Duration.ZERO);
        } catch (IOException none) {
            failure.addSuppressed(none);
            throw failure;
        }
    }

    /** Closes the connection, once. */
    @Override
    public void close() {
        socket.close();
    }
}
