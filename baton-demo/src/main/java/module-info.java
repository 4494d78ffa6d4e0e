/**
 * Baton's demo: a server on Baton (Jetty, Netty or gRPC), the demo job that upgrades it under a
 * closed-loop load, and the {@code demo}, {@code demo-server} and {@code bench} commands.
 *
 * <p>It exports {@link dev.baton.demo} and uses only the public APIs of baton-core, the adapters and
 * baton-load, as any application would.
 */
module dev.baton.demo {
    requires transitive dev.baton.jetty;
    requires transitive dev.baton.netty;
    requires dev.baton.grpc;
    requires dev.baton.micrometer;
    requires micrometer.registry.prometheus;
    requires transitive dev.baton.load;
    requires io.netty.buffer;
    requires io.netty.codec.http;
    requires io.netty.codec.http2;
    requires info.picocli;
    requires java.logging;
    requires java.net.http;
    requires org.eclipse.jetty.websocket.core.server;

    exports dev.baton.demo;

    opens dev.baton.demo.cli to info.picocli;
}
