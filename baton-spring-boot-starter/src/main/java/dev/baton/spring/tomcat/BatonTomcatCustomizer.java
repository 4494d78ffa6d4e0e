package dev.baton.spring.tomcat;

import dev.baton.spring.BatonWebServers;
import java.nio.channels.ServerSocketChannel;
import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Puts a Spring Boot Tomcat web server (servlet or reactive) on Baton's listener: its main connector
 * speaks {@link BatonTomcatProtocol}, accepts on the listener named by {@code baton.listener} at
 * {@code server.address}:{@code server.port} (inherited on an upgrade), and drains under Baton.
 * Additional connectors, if the application adds some, bind their own ports as before.
 *
 * <p>Runs last, so that it sees the port and address every other customizer set.
 */
final class BatonTomcatCustomizer implements WebServerFactoryCustomizer<TomcatWebServerFactory>, Ordered {

    private final BatonWebServers servers;

    BatonTomcatCustomizer(BatonWebServers servers) {
        this.servers = servers;
    }

    @Override
    public void customize(TomcatWebServerFactory factory) {
        if (!TomcatWebServerFactory.DEFAULT_PROTOCOL.equals(factory.getProtocol())) {
            throw new IllegalStateException("Baton runs Tomcat's NIO HTTP/1.1 connector only, but the Tomcat factory"
                    + " is set to the protocol " + factory.getProtocol() + "; remove that setting or set baton.enabled=false");
        }
        ServerSocketChannel listener = servers.listen(factory.getAddress(), factory.getPort());
        TomcatDrainState state = new TomcatDrainState();
        factory.setProtocol(BatonTomcatProtocol.class.getName());
        factory.addEngineValves(new ClosingValve(state));
        factory.addProtocolHandlerCustomizers(handler -> {
            if (handler instanceof BatonTomcatProtocol protocol) {
                protocol.attach(listener, state);
                servers.register(protocol.drainer(servers.idleGrace()));
            }
        });
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
