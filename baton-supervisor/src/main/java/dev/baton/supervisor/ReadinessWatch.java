package dev.baton.supervisor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * What completes a new worker's {@link Worker#ready} future, by the {@link Readiness} it was given:
 * its notify socket ({@code notify}, nothing to do here), a timer ({@code delay}), or a probe that
 * connects to its own port every 100 ms until it answers ({@code tcp}).
 */
final class ReadinessWatch {

    private final Readiness readiness;
    private final Scheduler scheduler;

    ReadinessWatch(Readiness readiness, Scheduler scheduler) {
        this.readiness = readiness;
        this.scheduler = scheduler;
    }

    /** Starts watching {@code worker}; the watch ends once it is ready or has exited. */
    void watch(Worker worker) {
        switch (readiness) {
            case Readiness.Notify _ -> { } // the notify socket completes it
            case Readiness.Delay delay -> scheduler.schedule(delay.delay(), () -> worker.ready.complete(null));
            // A virtual thread: it blocks only in the JDK's own socket connect, never in a foreign call.
            case Readiness.Tcp tcp -> Thread.ofVirtual().name("baton-ready-probe").start(() -> probe(worker, tcp));
        }
    }

    private static void probe(Worker worker, Readiness.Tcp tcp) {
        while (!worker.ready.isDone() && !worker.exit.isDone()) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", tcp.port()), 1000);
                worker.ready.complete(null);
            } catch (IOException notYet) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
