package dev.baton.grpc;

import dev.baton.UpgradeResult;
import dev.baton.grpc.demo.DemoService;
import io.grpc.Server;
import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One generation of a gRPC service in the test JVM: the demo service and a {@link HoldService} on a
 * Baton gRPC server over its own holder of the shared listener, accepting.
 */
final class Generation implements AutoCloseable {

    final int number;
    final ServerSocketChannel listener;
    final BatonGrpc grpc;
    final Server server;
    final GrpcManagedServer managed;
    final HoldService hold;
    private final DemoService demo;

    Generation(int number, ServerSocketChannel listener) throws Exception {
        this(number, listener, true);
    }

    Generation(int number, ServerSocketChannel listener, boolean accepting) throws Exception {
        this.number = number;
        this.listener = listener;
        grpc = BatonGrpc.on(listener);
        demo = new DemoService(ProcessHandle.current().pid(), number, grpc.drainSignal());
        hold = new HoldService("generation " + number);
        server = grpc.serverBuilder().addService(demo).addService(hold).build().start();
        managed = grpc.manage(server);
        if (accepting) {
            managed.startAccepting();
        }
    }

    /** A successor on another holder of this generation's listener, serving. */
    Generation successor() throws Throwable {
        return new Generation(number + 1, SharedListener.anotherHolder(listener));
    }

    /** Tells this generation, as the core does, that its successor serves: the drain to come is a handover. */
    void successorServes() {
        managed.upgradeEnded(new UpgradeResult(UpgradeResult.Outcome.SUCCEEDED, 1, 2, number + 1,
                Duration.ofMillis(1), "generation " + (number + 1) + " is serving", List.of()));
    }

    @Override
    public void close() throws IOException {
        server.shutdownNow();
        hold.close();
        demo.close();
        try {
            server.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        listener.close();
    }
}
