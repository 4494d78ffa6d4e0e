package dev.baton.spring.jetty;

import dev.baton.jetty.BatonJetty;
import dev.baton.spring.BatonWebServers;
import java.nio.channels.ServerSocketChannel;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.springframework.boot.jetty.JettyWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Puts a Spring Boot Jetty web server (servlet or reactive) on Baton's listener: Boot's connector is
 * replaced by Baton's Jetty connector on the listener named by {@code baton.listener} at
 * {@code server.address}:{@code server.port}, speaking the same protocols with the same settings
 * (Boot's connection factories and idle timeout), and the server drains under Baton.
 *
 * <p>Runs last, and its server customizer is added last, so that it sees what every other customizer set.
 */
final class BatonJettyCustomizer implements WebServerFactoryCustomizer<JettyWebServerFactory>, Ordered {

    private final BatonWebServers servers;

    BatonJettyCustomizer(BatonWebServers servers) {
        this.servers = servers;
    }

    @Override
    public void customize(JettyWebServerFactory factory) {
        ServerSocketChannel listener = servers.listen(factory.getAddress(), factory.getPort());
        factory.addServerCustomizers(server -> useListener(server, listener));
    }

    private void useListener(Server server, ServerSocketChannel listener) {
        ServerConnector boot = null;
        for (Connector connector : server.getConnectors()) {
            if (boot == null && connector instanceof ServerConnector serverConnector) {
                boot = serverConnector;
            }
            server.removeConnector(connector);
        }
        ConnectionFactory[] protocols = boot == null
                ? new ConnectionFactory[0]
                : boot.getConnectionFactories().toArray(ConnectionFactory[]::new);
        ServerConnector connector = BatonJetty.connector(server, listener, protocols);
        if (boot != null) {
            connector.setIdleTimeout(boot.getIdleTimeout());
        }
        server.addConnector(connector);
        servers.register(BatonJetty.manage(server, servers.idleGrace()));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
