/**
 * Baton for Spring Boot 4.0: auto-configuration that puts the embedded server (Tomcat, Jetty or Reactor
 * Netty) on Baton's listener, says ready after {@code ApplicationReadyEvent}, drains without a 503 and
 * turns the readiness state on a final stop.
 *
 * <p>It exports one package, {@link dev.baton.spring}. Spring Boot applications usually run on the class
 * path, where this descriptor is not read; on the module path the Spring jars are automatic modules (each
 * names itself in its manifest), and every server is optional ({@code requires static}): the application
 * brings the one it runs. The auto-configurations and the server adapters live in packages that are not
 * exported but opened to the modules that instantiate them by name: Spring, and Tomcat (its connector
 * creates {@code BatonTomcatProtocol} from the class name).
 */
module dev.baton.spring {
    requires transitive dev.baton;
    // The public classes are auto-configurations and a listener: their signatures speak Spring's types.
    requires transitive spring.boot;
    requires transitive spring.boot.autoconfigure;
    requires transitive spring.context;
    requires spring.beans;
    requires spring.core;
    requires spring.boot.web.server;
    requires static spring.boot.health;
    // Tomcat
    requires static spring.boot.tomcat;
    requires static org.apache.tomcat.embed.core;
    // Jetty
    requires static spring.boot.jetty;
    requires static dev.baton.jetty;
    requires static org.eclipse.jetty.server;
    // Reactor Netty (WebFlux)
    requires static spring.boot.reactor.netty;
    requires static spring.web;
    requires static dev.baton.netty;
    requires static reactor.core;
    requires static reactor.netty.core;
    requires static reactor.netty.http;
    requires static io.netty.transport;
    requires static io.netty.transport.classes.epoll;
    requires static io.netty.codec.http;

    exports dev.baton.spring;

    opens dev.baton.spring to spring.core, spring.beans, spring.context, spring.boot;
    opens dev.baton.spring.tomcat to spring.core, spring.beans, spring.context, org.apache.tomcat.embed.core;
    opens dev.baton.spring.jetty to spring.core, spring.beans, spring.context;
    opens dev.baton.spring.netty to spring.core, spring.beans, spring.context;
}
