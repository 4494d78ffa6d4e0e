package dev.baton.supervisor;

import dev.baton.Baton;
import dev.baton.BatonOptions;
import dev.baton.ManagedServer;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A supervised Java worker on Baton that writes one line per request to its standard output with a writer
 * that throws on a failed write ({@code System.out} would swallow it), and answers 500 when the write fails:
 * the kind of worker whose requests fail once its output is a broken pipe. {@code GET /slow} waits 3 s
 * before it logs and answers, so it is still under way when the test kills the supervisor.
 */
public final class LineLoggingWorkerMain implements ManagedServer {

    private final ServerSocketChannel listener;
    private final OutputStream out = new FileOutputStream(FileDescriptor.out);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private volatile boolean accepting = true;

    private LineLoggingWorkerMain(ServerSocketChannel listener) {
        this.listener = listener;
    }

    public static void main(String[] args) throws Exception {
        try (Baton baton = Baton.open(BatonOptions.defaults().withName(args[1]))) {
            LineLoggingWorkerMain server = new LineLoggingWorkerMain(baton.listen("http", "127.0.0.1:" + args[0]));
            baton.register(server);
            baton.ready();
            baton.awaitStopped();
        }
    }

    @Override
    public void startAccepting() {
        Thread.ofPlatform().name("accept").start(this::acceptLoop);
    }

    private void acceptLoop() {
        try (Selector selector = Selector.open()) {
            listener.configureBlocking(false);
            listener.register(selector, SelectionKey.OP_ACCEPT);
            while (accepting) {
                selector.select(50);
                selector.selectedKeys().clear();
                SocketChannel connection;
                while (accepting && (connection = listener.accept()) != null) {
                    inFlight.incrementAndGet();
                    SocketChannel accepted = connection;
                    Thread.ofVirtual().start(() -> answer(accepted));
                }
            }
        } catch (IOException e) {
            System.err.println("accept failed: " + e);
        }
        finishedOne(0);
    }

    private void answer(SocketChannel connection) {
        try (connection) {
            connection.configureBlocking(true);
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            StringBuilder request = new StringBuilder();
            while (!request.toString().contains("\r\n\r\n") && connection.read(buffer.clear()) > 0) {
                request.append(StandardCharsets.ISO_8859_1.decode(buffer.flip()));
            }
            String path = request.toString().split(" ", 3)[1];
            if (path.equals("/slow")) {
                Thread.sleep(3000);
            }
            int status = 200;
            try {
                out.write(("served " + path + " in pid " + ProcessHandle.current().pid() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                status = 500; // the log is part of the request: a failed log line fails it
            }
            String body = status == 200 ? "ok\n" : "log write failed\n";
            connection.write(StandardCharsets.ISO_8859_1.encode("HTTP/1.1 " + status + " X\r\nContent-Length: "
                    + body.length() + "\r\nConnection: close\r\n\r\n" + body));
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.err.println("request failed: " + e);
        } finally {
            finishedOne(1);
        }
    }

    private void finishedOne(int requests) {
        if (inFlight.addAndGet(-requests) == 0 && !accepting) {
            drained.complete(null);
        }
    }

    @Override
    public CompletableFuture<Void> drain() {
        accepting = false;
        return drained;
    }

    @Override
    public int hammer() {
        return 0;
    }
}
