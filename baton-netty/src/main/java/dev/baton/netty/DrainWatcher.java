package dev.baton.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;

/**
 * The first handler of every tracked connection: it fires {@link DrainEvent} through the pipeline
 * once, when the drain begins or, for a connection accepted as it began, once the connection is active.
 *
 * <p>Confined to the connection's event loop, where {@code channelActive} and {@link #drainIfActive}
 * both run: exactly one of them fires the event.
 */
final class DrainWatcher extends ChannelInboundHandlerAdapter {

    private final ConnectionTracker tracker;
    private ChannelHandlerContext context;
    private boolean active;
    private boolean told;

    DrainWatcher(ConnectionTracker tracker) {
        this.tracker = tracker;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.fireChannelActive();
        active = true;
        if (tracker.isDraining()) {
            tell();
        }
    }

    /**
     * Whether the server of this connection drains, even if the {@link DrainEvent} has not reached
     * the pipeline yet (it is on its way to the event loop): a response written now should close.
     */
    static boolean isDraining(ChannelPipeline pipeline) {
        DrainWatcher watcher = pipeline.get(DrainWatcher.class);
        return watcher != null && watcher.tracker.isDraining();
    }

    void drainIfActive() {
        if (active) {
            tell();
        }
    }

    private void tell() {
        if (!told && context != null && !context.isRemoved()) {
            told = true;
            context.fireUserEventTriggered(DrainEvent.INSTANCE);
        }
    }
}
