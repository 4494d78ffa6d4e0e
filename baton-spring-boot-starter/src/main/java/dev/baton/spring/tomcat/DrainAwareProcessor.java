package dev.baton.spring.tomcat;

import java.io.IOException;
import org.apache.coyote.Adapter;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.coyote.http11.Http11Processor;
import org.apache.tomcat.util.net.AbstractEndpoint.Handler.SocketState;
import org.apache.tomcat.util.net.SocketWrapperBase;

/**
 * Tomcat's HTTP/1.1 processor, marking the connection it serves so that a drain never closes a
 * connection whose request is being read, handled or answered.
 *
 * <p>Tomcat takes the processor off the connection while it runs (so the connection alone cannot tell),
 * and puts it back only for asynchronous requests; the drainer looks at both.
 */
final class DrainAwareProcessor extends Http11Processor {

    private final TomcatDrainState state;

    DrainAwareProcessor(AbstractHttp11Protocol<?> protocol, Adapter adapter, TomcatDrainState state) {
        super(protocol, adapter);
        this.state = state;
    }

    @Override
    public SocketState service(SocketWrapperBase<?> socketWrapper) throws IOException {
        state.serviceStarted(socketWrapper);
        try {
            return super.service(socketWrapper);
        } finally {
            state.serviceEnded(socketWrapper);
        }
    }
}
