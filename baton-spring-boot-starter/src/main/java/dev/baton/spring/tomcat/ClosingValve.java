package dev.baton.spring.tomcat;

import jakarta.servlet.ServletException;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/**
 * The engine valve that, while the connector drains, gives every response not yet committed a
 * {@code Connection: close} header, so that Tomcat closes the connection once it is answered; this
 * covers the requests that were in flight when draining began (those that start later are closed by
 * {@link BatonTomcatProtocol#getMaxKeepAliveRequests()}).
 *
 * <p>Thread-safe: it keeps no state of its own.
 */
final class ClosingValve extends ValveBase {

    private final TomcatDrainState state;

    ClosingValve(TomcatDrainState state) {
        super(true);
        this.state = state;
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        try {
            getNext().invoke(request, response);
        } finally {
            if (state.isDraining() && !response.isCommitted() && !request.isAsync()) {
                response.setHeader("Connection", "close");
            }
        }
    }
}
