package dev.baton.spring.tomcat;

import dev.baton.ManagedServer;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import org.apache.coyote.Processor;
import org.apache.coyote.http11.Http11NioProtocol;

/**
 * Tomcat's NIO HTTP/1.1 protocol on a listener Baton handed over, with a drain that never answers 503.
 *
 * <p>Public because Tomcat's {@code Connector} creates its protocol from a class name
 * ({@code TomcatWebServerFactory.setProtocol}); the Baton auto-configuration names this class and then,
 * in a protocol handler customizer, hands the instance its listener ({@link #attach}). It is not
 * meant to be configured by hand.
 *
 * <p>While draining, {@link #getMaxKeepAliveRequests()} is 1, which makes Tomcat answer every request it
 * reads from then on normally, with {@code Connection: close}; Tomcat's own graceful shutdown pauses
 * the connector instead, and a paused connector answers the requests on kept-alive connections with 503.
 */
public final class BatonTomcatProtocol extends Http11NioProtocol {

    private volatile TomcatDrainState state = new TomcatDrainState();
    private final ListenerEndpoint endpoint;

    /** Creates the protocol, as Tomcat's {@code Connector} does by reflection. */
    public BatonTomcatProtocol() {
        this(new ListenerEndpoint());
    }

    private BatonTomcatProtocol(ListenerEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    /**
     * Gives the connector the listener to accept on and the drain state its valve shares; before the
     * connector starts.
     */
    void attach(ServerSocketChannel listener, TomcatDrainState drainState) {
        endpoint.useListener(listener);
        this.state = drainState;
    }

    /** The drainer of this connector, to register with Baton. */
    ManagedServer drainer(Duration idleGrace) {
        return new TomcatDrainer(this, endpoint, state, idleGrace);
    }

    @Override
    public int getMaxKeepAliveRequests() {
        return state.isDraining() ? 1 : super.getMaxKeepAliveRequests();
    }

    @Override
    protected Processor createProcessor() {
        return new DrainAwareProcessor(this, getAdapter(), state);
    }
}
