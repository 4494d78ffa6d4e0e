package dev.baton.grpc;

import java.io.FileDescriptor;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * Listening sockets as the generations of a Baton service hold them: one kernel socket, a descriptor
 * (and a {@link ServerSocketChannel}) per holder. The second holder is made in the test JVM by
 * {@code dup(2)} through FFM and adopted as Baton adopts an inherited listener (the tests run with
 * {@code --add-opens java.base/sun.nio.ch}), so two gRPC servers in one JVM stand for two processes.
 */
final class SharedListener {

    private static final MethodHandle DUP;

    static {
        Linker linker = Linker.nativeLinker();
        DUP = downcall(linker, "dup");
    }

    private SharedListener() {}

    /** A new TCP listener on 127.0.0.1, port 0. */
    static ServerSocketChannel bound() throws Exception {
        ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.INET);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return listener;
    }

    /** Another holder of the same listening socket: a channel over a duplicate of its descriptor. */
    static ServerSocketChannel anotherHolder(ServerSocketChannel listener) throws Throwable {
        Method fdVal = Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal");
        int copy = (int) DUP.invokeExact((int) fdVal.invoke(listener));
        if (copy < 0) {
            throw new IllegalStateException("dup of " + listener + " failed");
        }
        Method newFd = Class.forName("sun.nio.ch.IOUtil").getDeclaredMethod("newFD", int.class);
        newFd.setAccessible(true);
        Constructor<?> adopt = Class.forName("sun.nio.ch.ServerSocketChannelImpl").getDeclaredConstructor(
                SelectorProvider.class, java.net.ProtocolFamily.class, FileDescriptor.class, boolean.class);
        adopt.setAccessible(true);
        return (ServerSocketChannel) adopt.newInstance(
                SelectorProvider.provider(), StandardProtocolFamily.INET, newFd.invoke(null, copy), true);
    }

    static int port(ServerSocketChannel listener) throws Exception {
        return ((InetSocketAddress) listener.getLocalAddress()).getPort();
    }

    @SuppressWarnings("restricted") // the tests run with --enable-native-access=ALL-UNNAMED
    private static MethodHandle downcall(Linker linker, String name) {
        return linker.downcallHandle(linker.defaultLookup().find(name).orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }
}
