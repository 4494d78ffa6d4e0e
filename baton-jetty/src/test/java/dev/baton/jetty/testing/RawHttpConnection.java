package dev.baton.jetty.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A client HTTP/1.1 connection over a plain socket, so that tests see the exact headers: the raw
 * client of the adapter tests, which depends on no server.
 */
public final class RawHttpConnection implements AutoCloseable {

    /** A response as read from the wire; header names in lower case. */
    public record RawResponse(int status, Map<String, String> headers, String body) {
        public boolean closesConnection() {
            return "close".equalsIgnoreCase(headers.get("connection"));
        }
    }

    private static final int TIMEOUT_MILLIS = 10_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawHttpConnection(int port) throws IOException {
        this(connected(port));
    }

    /** A connection over a socket already connected, such as a TLS socket. */
    public RawHttpConnection(Socket connected) throws IOException {
        socket = connected;
        socket.setSoTimeout(TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    private static Socket connected(int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    public void send(String path) throws IOException {
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    public RawResponse exchange(String path) throws IOException {
        send(path);
        return read();
    }

    /** Reads one response with a Content-Length body. */
    public RawResponse read() throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new IOException("EOF before a status line");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(); line != null && !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                    (a, b) -> a + ", " + b);
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        if (body.length != length) {
            throw new IOException("EOF after " + body.length + " of " + length + " body bytes");
        }
        return new RawResponse(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    /** Waits (up to the socket timeout) for the server to close: true on EOF, false if bytes came instead. */
    public boolean awaitClosedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            // A reset also means the server closed; tests that care about resets look at the exception.
            return true;
        }
    }

    private String line() throws IOException {
        return HeadLines.read(in);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
