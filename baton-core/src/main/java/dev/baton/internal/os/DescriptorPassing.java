package dev.baton.internal.os;

import static dev.baton.internal.os.LibC.INT;
import static dev.baton.internal.os.LibC.LONG;
import static dev.baton.internal.os.LibC.POINTER;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends and receives one message with descriptors attached (SCM_RIGHTS), over a connected Unix
 * socket: {@code sendmsg} and {@code recvmsg}.
 *
 * <p>On a SOCK_SEQPACKET socket one call moves one whole message, and a message longer than the
 * receiver's buffer is reported as truncated rather than split, which is what the control protocol
 * relies on.
 *
 * <p>Ownership: the socket and the descriptors sent are only lent for the call (their numbers, as every
 * system call here takes them); the descriptors received come back as {@link Descriptor}s the caller
 * owns, close-on-exec (MSG_CMSG_CLOEXEC).
 */
public final class DescriptorPassing {

    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private static final int MSG_CTRUNC = 0x8;
    private static final int MSG_TRUNC = 0x20;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;

    // x86-64 and aarch64 layouts: struct msghdr is 56 bytes, struct iovec 16, struct cmsghdr 16
    // (size_t cmsg_len; int cmsg_level; int cmsg_type), and control data is aligned to 8 bytes.
    private static final long MSGHDR_SIZE = 56;
    private static final long MSGHDR_IOV = 16;
    private static final long MSGHDR_IOVLEN = 24;
    private static final long MSGHDR_CONTROL = 32;
    private static final long MSGHDR_CONTROLLEN = 40;
    private static final long MSGHDR_FLAGS = 48;
    private static final long CMSGHDR_SIZE = 16;

    private static final MethodHandle SENDMSG = LibC.function("sendmsg", FunctionDescriptor.of(LONG, INT, POINTER, INT));
    private static final MethodHandle RECVMSG = LibC.function("recvmsg", FunctionDescriptor.of(LONG, INT, POINTER, INT));

    /**
     * One received message.
     *
     * @param data the bytes received (at most the buffer size asked for)
     * @param fds the descriptors received, owned by the caller: each is closed or released once
     * @param truncated the message was longer than the buffer; the excess is lost
     * @param controlTruncated more descriptors were sent than the buffer had room for; the kernel
     *     closed the ones that did not fit
     */
    public record Received(byte[] data, List<Descriptor> fds, boolean truncated, boolean controlTruncated) {

        public Received {
            fds = List.copyOf(fds);
        }

        /** Whether the peer closed the connection (a zero-length read with nothing attached). */
        public boolean endOfStream() {
            return data.length == 0 && fds.isEmpty() && !truncated;
        }

        /** Closes the descriptors received, for a caller that keeps none of them. */
        public void closeDescriptors() {
            Descriptor.closeAll(fds);
        }
    }

    private DescriptorPassing() {}

    /** {@code CMSG_ALIGN}: control data is padded to the alignment of {@code size_t}. */
    private static long align(long length) {
        return (length + 7) & ~7L;
    }

    /** {@code CMSG_SPACE(n)}: room for one control message carrying {@code n} bytes, with padding. */
    static long controlSpace(long dataLength) {
        return CMSGHDR_SIZE + align(dataLength);
    }

    /** {@code CMSG_LEN(n)}: the length recorded in the header of a control message of {@code n} bytes. */
    private static long controlLength(long dataLength) {
        return CMSGHDR_SIZE + dataLength;
    }

    /** Sends {@code data} with {@code fds} attached, as one message; the descriptors stay the caller's. */
    public static void send(int socket, byte[] data, int[] fds) throws SystemCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment message = arena.allocate(MSGHDR_SIZE, 8);
            MemorySegment buffer = arena.allocate(Math.max(1, data.length));
            MemorySegment.copy(data, 0, buffer, ValueLayout.JAVA_BYTE, 0, data.length);
            message.set(POINTER, MSGHDR_IOV, iovec(arena, buffer, data.length));
            message.set(LONG, MSGHDR_IOVLEN, 1L);
            if (fds.length > 0) {
                long dataLength = 4L * fds.length;
                MemorySegment control = arena.allocate(controlSpace(dataLength), 8);
                control.set(LONG, 0, controlLength(dataLength));
                control.set(INT, 8, SOL_SOCKET);
                control.set(INT, 12, SCM_RIGHTS);
                for (int i = 0; i < fds.length; i++) {
                    control.set(INT, CMSGHDR_SIZE + 4L * i, fds[i]);
                }
                message.set(POINTER, MSGHDR_CONTROL, control);
                message.set(LONG, MSGHDR_CONTROLLEN, control.byteSize());
            }
            long sent = SystemCall.call("sendmsg(fd " + socket + ")", SENDMSG, socket, message, Sockets.MSG_NOSIGNAL);
            if (sent != data.length) {
                throw SystemCallException.of("sendmsg(fd " + socket + ") sent " + sent + " of " + data.length
                        + " bytes", Errno.EMSGSIZE);
            }
        }
    }

    /**
     * Receives one message of at most {@code maxBytes} bytes and {@code maxFds} descriptors. Blocks
     * until one arrives or the socket's receive timeout passes (then fails with EAGAIN).
     */
    public static Received receive(int socket, int maxBytes, int maxFds) throws SystemCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment message = arena.allocate(MSGHDR_SIZE, 8);
            MemorySegment buffer = arena.allocate(maxBytes);
            MemorySegment control = arena.allocate(controlSpace(4L * Math.max(1, maxFds)), 8);
            message.set(POINTER, MSGHDR_IOV, iovec(arena, buffer, maxBytes));
            message.set(LONG, MSGHDR_IOVLEN, 1L);
            message.set(POINTER, MSGHDR_CONTROL, control);
            message.set(LONG, MSGHDR_CONTROLLEN, control.byteSize());
            long received = SystemCall.call("recvmsg(fd " + socket + ")", RECVMSG, socket, message, MSG_CMSG_CLOEXEC);
            int flags = message.get(INT, MSGHDR_FLAGS);
            List<Descriptor> fds = receivedDescriptors(control, message.get(LONG, MSGHDR_CONTROLLEN), socket);
            byte[] data = buffer.asSlice(0, Math.min(received, maxBytes)).toArray(ValueLayout.JAVA_BYTE);
            return new Received(data, fds, (flags & MSG_TRUNC) != 0, (flags & MSG_CTRUNC) != 0);
        }
    }

    /** Walks the control messages ({@code CMSG_FIRSTHDR}/{@code CMSG_NXTHDR}) and collects SCM_RIGHTS descriptors. */
    private static List<Descriptor> receivedDescriptors(MemorySegment control, long controlLength, int socket) {
        List<Descriptor> fds = new ArrayList<>();
        long offset = 0;
        while (offset + CMSGHDR_SIZE <= controlLength) {
            long length = control.get(LONG, offset);
            if (length < CMSGHDR_SIZE || offset + length > controlLength) {
                break;
            }
            if (control.get(INT, offset + 8) == SOL_SOCKET && control.get(INT, offset + 12) == SCM_RIGHTS) {
                int count = (int) ((length - CMSGHDR_SIZE) / 4);
                for (int i = 0; i < count; i++) {
                    fds.add(Descriptor.own(control.get(INT, offset + CMSGHDR_SIZE + 4L * i),
                            "a descriptor received on fd " + socket));
                }
            }
            offset += align(length);
        }
        return fds;
    }

    private static MemorySegment iovec(Arena arena, MemorySegment buffer, long length) {
        MemorySegment iov = arena.allocate(16, 8);
        iov.set(POINTER, 0, buffer);
        iov.set(LONG, 8, length);
        return iov;
    }
}
