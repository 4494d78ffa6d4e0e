package dev.baton.grpc;

import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A connection accepted on a Baton listener that tells its {@link ListenerChannels} once gRPC has
 * taken it (its pipeline initialized, which is when grpc-java creates the transport) or it closed.
 */
final class AcceptedChannel extends NioSocketChannel {

    private final ListenerChannels owner;
    private final AtomicBoolean settled = new AtomicBoolean();

    AcceptedChannel(ListenerServerChannel parent, SocketChannel socket, ListenerChannels owner) {
        super(parent, socket);
        this.owner = owner;
        owner.accepted();
        closeFuture().addListener(future -> settle());
    }

    @Override
    protected void doRegister(ChannelPromise promise) {
        // The channel's own listener, added before this call, runs the pipeline's handlerAdded (grpc's
        // ChannelInitializer); listeners run in order, so this one runs after it.
        promise.addListener(future -> settle());
        super.doRegister(promise);
    }

    private void settle() {
        if (settled.compareAndSet(false, true)) {
            owner.settled();
        }
    }
}
