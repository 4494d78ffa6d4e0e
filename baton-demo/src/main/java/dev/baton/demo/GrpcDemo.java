package dev.baton.demo;

import dev.baton.Baton;
import dev.baton.grpc.BatonGrpc;
import dev.baton.grpc.demo.DemoService;
import io.grpc.Server;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * The demo on grpc-java: baton-grpc's {@link DemoService} ({@code Hello}, {@code Ticks}) and the
 * standard health service on the one Baton listener, drained with GOAWAY by baton-grpc.
 */
final class GrpcDemo implements RunningServer {

    private static final Logger LOG = System.getLogger(GrpcDemo.class.getName());

    private final Server server;
    private final DemoService service;

    private GrpcDemo(Server server, DemoService service) {
        this.server = server;
        this.service = service;
    }

    static RunningServer start(Baton baton, DemoServerOptions options) throws IOException {
        ServerSocketChannel listener = baton.listen("grpc", options.listenAddress());
        BatonGrpc grpc = BatonGrpc.on(listener);
        DemoService service = new DemoService(baton.pid(), baton.generation(), grpc.drainSignal());
        Server server;
        try {
            server = grpc.serverBuilder().addService(service).build().start();
        } catch (IOException | RuntimeException e) {
            service.close();
            throw new IOException("cannot start the gRPC server on " + listener + ": " + e.getMessage(), e);
        }
        grpc.register(baton, server); // accepts once this generation serves
        return new GrpcDemo(server, service);
    }

    @Override
    public void close() {
        server.shutdownNow();
        service.close();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.log(Level.WARNING, "the gRPC server did not terminate within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
