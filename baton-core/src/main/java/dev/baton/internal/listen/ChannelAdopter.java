package dev.baton.internal.listen;

import java.io.FileDescriptor;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * Turns a listening socket descriptor into a {@link ServerSocketChannel}, and a channel back into
 * its descriptor number.
 *
 * <p>{@code java.nio} has no public way to adopt a descriptor (except {@code inheritedChannel()} for
 * fd 0), so this uses the JDK's own constructor {@code sun.nio.ch.ServerSocketChannelImpl(
 * SelectorProvider, ProtocolFamily, FileDescriptor, boolean)} and {@code IOUtil.newFD(int)}, which
 * need {@code --add-opens java.base/sun.nio.ch}; {@code Availability} checks that flag first and
 * names it. Written by hand because no library does this.
 */
public final class ChannelAdopter {

    private static final MethodHandle NEW_FD;
    private static final MethodHandle NEW_CHANNEL;
    private static final MethodHandle FD_VAL;

    static {
        try {
            Class<?> ioUtil = Class.forName("sun.nio.ch.IOUtil");
            Class<?> channelImpl = Class.forName("sun.nio.ch.ServerSocketChannelImpl");
            MethodHandles.Lookup ioUtilLookup = MethodHandles.privateLookupIn(ioUtil, MethodHandles.lookup());
            MethodHandles.Lookup channelLookup = MethodHandles.privateLookupIn(channelImpl, MethodHandles.lookup());
            NEW_FD = ioUtilLookup.findStatic(ioUtil, "newFD", MethodType.methodType(FileDescriptor.class, int.class));
            NEW_CHANNEL = channelLookup.findConstructor(channelImpl, MethodType.methodType(void.class,
                    SelectorProvider.class, ProtocolFamily.class, FileDescriptor.class, boolean.class));
            FD_VAL = channelLookup.findVirtual(channelImpl, "getFDVal", MethodType.methodType(int.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private ChannelAdopter() {}

    /** A channel that owns {@code fd}, a bound, listening socket; closing the channel closes {@code fd}. */
    public static ServerSocketChannel adopt(int fd, boolean unix) {
        try {
            FileDescriptor descriptor = (FileDescriptor) NEW_FD.invokeExact(fd);
            ProtocolFamily family = unix ? StandardProtocolFamily.UNIX : StandardProtocolFamily.INET6;
            return (ServerSocketChannel) NEW_CHANNEL.invoke(SelectorProvider.provider(), family, descriptor, true);
        } catch (Throwable t) {
            throw new IllegalStateException("cannot adopt listening socket fd " + fd + " into java.nio", t);
        }
    }

    /** The descriptor number of a channel made by the JDK's default provider (or by {@link #adopt}). */
    public static int descriptorOf(ServerSocketChannel channel) {
        try {
            return (int) FD_VAL.invoke(channel);
        } catch (Throwable t) {
            throw new IllegalStateException("cannot read the descriptor of " + channel, t);
        }
    }
}
