package dev.baton.netty;

/**
 * The user event a {@link NettyDrainer} fires, once, through the pipeline of every connection it
 * tracks when draining begins: the hook for an application's own protocols (a long-lived stream, a
 * raw TCP session), which should finish what is in flight and close the connection.
 *
 * <p>Handle it in {@code userEventTriggered}, on the connection's event loop, and pass it on
 * ({@code ctx.fireUserEventTriggered(evt)}) so that the handlers after yours see it too. A connection
 * accepted while the drain starts gets it right after {@code channelActive}.
 */
public final class DrainEvent {

    /** The only instance. */
    public static final DrainEvent INSTANCE = new DrainEvent();

    private DrainEvent() {}

    @Override
    public String toString() {
        return "DrainEvent";
    }
}
