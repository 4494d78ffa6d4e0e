package dev.baton.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny HTTP/1.1 server for tests on 127.0.0.1, port 0: one thread per connection running a
 * {@link Handler}, so that a test can script well-behaved answers and every kind of misbehaviour.
 * {@link #close()} closes every socket and waits for every thread.
 */
final class RawServer implements AutoCloseable {

    /** What the server does with one accepted connection; returning closes it. */
    @FunctionalInterface
    interface Handler {
        void handle(Socket socket, InputStream in, OutputStream out) throws IOException;
    }

    private final ServerSocket server;
    private final Handler handler;
    private final Thread acceptor;
    private final AtomicInteger accepted = new AtomicInteger();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    private RawServer(Handler handler) throws IOException {
        this.server = new ServerSocket(0, 128, InetAddress.getByName("127.0.0.1"));
        this.handler = handler;
        this.acceptor = Thread.ofPlatform().name("raw-server-acceptor").daemon(true).start(this::acceptLoop);
    }

    static RawServer start(Handler handler) throws IOException {
        return new RawServer(handler);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    /** How many connections the server has accepted. */
    int accepted() {
        return accepted.get();
    }

    /** Unexpected errors thrown by handlers (I/O errors caused by the client closing are not kept). */
    List<Throwable> errors() {
        return errors;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            try {
                socket.setTcpNoDelay(true);
            } catch (SocketException e) {
                // Only latency would suffer.
            }
            sockets.add(socket);
            threads.add(Thread.ofPlatform().name("raw-server-connection").daemon(true).start(() -> serve(socket)));
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            handler.handle(socket, socket.getInputStream(), socket.getOutputStream());
        } catch (IOException e) {
            // The client closed or reset the connection: part of the scripts.
        } catch (RuntimeException | Error e) {
            errors.add(e);
        } finally {
            sockets.remove(socket);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        join(acceptor);
        for (Thread thread : threads) {
            join(thread);
            if (thread.isAlive()) {
                throw new IllegalStateException("server thread did not end: " + thread);
            }
        }
        if (acceptor.isAlive()) {
            throw new IllegalStateException("acceptor did not end");
        }
    }

    private static void join(Thread thread) throws InterruptedIOException {
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + thread);
        }
    }

    // ---- helpers for handlers ----

    /** Reads one request head, through its empty line; null if the client closed first. */
    static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b;
            try {
                b = in.read();
            } catch (SocketException e) {
                return null;
            }
            if (b < 0) {
                return null;
            }
            head.write(b);
            state = switch (state) {
                case 0, 2 -> b == '\r' ? state + 1 : 0;
                case 1, 3 -> b == '\n' ? state + 1 : (b == '\r' ? 1 : 0);
                default -> throw new IllegalStateException();
            };
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    static boolean asksToClose(String request) {
        return request.toLowerCase(Locale.ROOT).contains("\r\nconnection: close\r\n");
    }

    /** Writes a response with a Content-Length and the given extra header lines. */
    static void respond(OutputStream out, String status, String body, String... headers) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append("\r\n");
        head.append("Content-Length: ").append(bytes.length).append("\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        head.append("\r\n").append(body);
        write(out, head.toString());
    }

    static void write(OutputStream out, String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Waits until the client closes the connection (or the server is closed), reading and dropping bytes. */
    static void holdUntilClosed(InputStream in) throws IOException {
        while (in.read() >= 0) {
            // Never answer.
        }
    }

    /** A handler answering every request with 200 and {@code body}, keeping the connection alive unless asked. */
    static Handler ok(String body) {
        return (socket, in, out) -> {
            String request;
            while ((request = readRequest(in)) != null) {
                if (asksToClose(request)) {
                    respond(out, "200 OK", body, "Connection: close");
                    return;
                }
                respond(out, "200 OK", body);
            }
        };
    }
}
