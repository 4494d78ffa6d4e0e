package dev.baton.jetty.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Closed-loop clients driven across one handover: answers from the old server first, then its drain,
 * then answers from the successor; the adapter tests' load, for any server.
 */
public final class ClosedLoopHandover {

    /** A client that calls in a closed loop on its own thread(s), counting answers by the server that gave them. */
    public interface Client extends Runnable {
        /** How many answers came from the server of that name. */
        long answeredBy(String server);

        /** Asks every thread of the client to stop after the call it is making. */
        void stop();
    }

    private static final Duration WAIT = Duration.ofSeconds(15);

    private ClosedLoopHandover() {}

    /**
     * Runs each client on {@code threadsPerClient} threads until {@code answers} answers came from
     * "server", calls {@code drain} (which returns once the old server drained), waits for
     * {@code answers} more from "successor", then stops the clients and waits for them.
     */
    public static void drive(List<? extends Client> clients, int threadsPerClient, int answers, Callable<?> drain)
            throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(clients.size() * threadsPerClient);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (Client client : clients) {
                for (int i = 0; i < threadsPerClient; i++) {
                    running.add(threads.submit(client));
                }
            }
            await().atMost(WAIT).until(() -> total(clients, "server") >= answers);
            drain.call();
            long afterDrain = total(clients, "successor");
            await().atMost(WAIT).until(() -> total(clients, "successor") >= afterDrain + answers);
            clients.forEach(Client::stop);
            for (Future<?> future : running) {
                future.get(30, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static long total(List<? extends Client> clients, String server) {
        return clients.stream().mapToLong(client -> client.answeredBy(server)).sum();
    }
}
