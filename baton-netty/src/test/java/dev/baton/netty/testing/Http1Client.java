package dev.baton.netty.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP/1.1 client connection on a plain socket, for adapter tests that must see the exact
 * response headers (Connection: close) and when the server closes the connection.
 */
public final class Http1Client implements AutoCloseable {

    /** A response; header names in lower case, repeated headers joined with ", ". */
    public record Response(int status, Map<String, String> headers, String body) {
        /** Whether the server said it closes the connection after this response. */
        public boolean closesConnection() {
            return "close".equalsIgnoreCase(headers.getOrDefault("connection", ""));
        }

        /** The value of a header, or "" if absent. */
        public String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }
    }

    private static final int READ_TIMEOUT_MILLIS = 10_000;

    private final Socket socket = new Socket();
    private final InputStream in;
    private final OutputStream out;

    /** Connects to 127.0.0.1 at {@code port}. */
    public Http1Client(int port) throws IOException {
        socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MILLIS);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Sends {@code GET path} on the kept-alive connection, without waiting for the answer. */
    public void send(String path) throws IOException {
        String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Sends {@code GET path} and reads its response. */
    public Response get(String path) throws IOException {
        send(path);
        return receive();
    }

    /** Reads the next response, whose body has a Content-Length. */
    public Response receive() throws IOException {
        String status = readLine();
        if (status == null) {
            throw new IOException("the server closed the connection before answering");
        }
        Map<String, String> headers = new TreeMap<>();
        String line;
        while ((line = readLine()) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            headers.merge(name, line.substring(colon + 1).strip(), (first, next) -> first + ", " + next);
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new IOException("the server closed the connection after " + body.length + " of " + length
                    + " body bytes");
        }
        return new Response(Integer.parseInt(status.split(" ", 3)[1]), headers,
                new String(body, StandardCharsets.UTF_8));
    }

    /**
     * Waits up to the read timeout for the server to close the connection.
     *
     * @return true on end of stream (or reset), false if the timeout passed or a byte came instead
     */
    public boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c >= 0; c = in.read()) {
            if (c == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) c);
        }
        return line.isEmpty() ? null : line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
