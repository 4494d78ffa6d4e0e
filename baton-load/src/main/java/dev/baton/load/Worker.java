package dev.baton.load;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;

/**
 * One closed-loop worker: sends a request, waits for the complete answer or a failure, counts it,
 * and goes on with the next, on its own connection.
 *
 * <p>Its thread owns everything here except {@link #socket}, which {@link #abort()} may close from
 * another thread to stop it promptly.
 */
final class Worker implements Runnable {

    private final LoadEngine engine;
    private final int id;
    private final LatencyHistogram latencies = new LatencyHistogram();

    /** The socket in use, or null; written by the worker, closed by {@link #abort()} at stop. */
    private volatile Socket socket;
    private HttpConnection connection;

    Worker(LoadEngine engine, int id) {
        this.engine = engine;
        this.id = id;
    }

    @Override
    public void run() {
        try {
            while (engine.startRequest()) {
                exchange();
            }
        } catch (Throwable t) {
            // A bug in the load generator, not a failed request: the run ends with it.
            engine.crashed(id, t);
        } finally {
            closeSocket();
            engine.workerEnded();
        }
    }

    /** The latencies of this worker's successful requests; read after the worker has ended. */
    LatencyHistogram latencies() {
        return latencies;
    }

    /** Closes the socket in use, if any, so that a blocked connect, write or read ends at once. */
    void abort() {
        close(socket);
    }

    private void exchange() {
        long start = System.nanoTime();
        LoadOptions options = engine.options();
        HttpConnection c = connection;
        try {
            if (c == null) {
                c = connect(options);
                if (c == null) {
                    return;
                }
            }
            HttpConnection.Response response = c.exchange(engine.request(), options.requestTimeout());
            long latency = System.nanoTime() - start;
            if (response.close() || options.mode() == ConnectionMode.NEW_CONNECTION) {
                closeSocket();
            }
            if (response.status() >= 200 && response.status() <= 299) {
                latencies.record(latency);
                engine.succeeded(response.pid(), response.generation());
            } else if (engine.failed(FailureKind.NON_2XX)) {
                engine.sample(new FailureSample(FailureKind.NON_2XX, engine.elapsed(), id, c.age(), c.requests(),
                        c.bytesReceived(), "status " + response.statusLine().substring(9)));
            }
        } catch (IOException e) {
            closeSocket();
            if (engine.stopping()) {
                engine.abandoned();
                return;
            }
            FailureKind kind = Failures.classify(e);
            if (engine.failed(kind)) {
                engine.sample(c == null
                        ? new FailureSample(kind, engine.elapsed(), id, Duration.ZERO, 0, 0, Failures.describe(e))
                        : new FailureSample(kind, engine.elapsed(), id, c.age(), c.requests(), c.bytesReceived(),
                                Failures.describe(e)));
            }
        }
    }

    /** Opens a connection; null, with nothing counted, if the run is stopping. */
    private HttpConnection connect(LoadOptions options) throws IOException {
        Socket s = new Socket();
        socket = s;
        // Pairs with LoadEngine.stop(), which sets the flag and then aborts: one of us sees the other.
        if (engine.stopping()) {
            closeSocket();
            return null;
        }
        s.setTcpNoDelay(true);
        s.connect(options.target(), (int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis()));
        engine.connectionOpened();
        connection = new HttpConnection(s, System.nanoTime());
        return connection;
    }

    private void closeSocket() {
        Socket s = socket;
        socket = null;
        connection = null;
        close(s);
    }

    private static void close(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // Closing is all we wanted; the request, if any, is accounted for by the worker.
            }
        }
    }
}
