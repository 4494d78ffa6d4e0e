package dev.baton.cli;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTTP/1.1 connection to the demo server on 127.0.0.1, written by hand so that a test knows exactly
 * which connection a request goes on: a keep-alive connection accepted by one generation stays with it.
 */
final class RawHttp implements AutoCloseable {

    private static final int TIMEOUT_MS = 30_000;

    /** One answer: the status code and the body. */
    record Answer(int status, String body) {

        private static final Pattern PID = Pattern.compile("pid=(\\d+)");

        /** The {@code pid=} in the body: which process answered. */
        long pid() {
            Matcher matcher = PID.matcher(body);
            if (!matcher.find()) {
                throw new AssertionError("no pid= in the answer " + this);
            }
            return Long.parseLong(matcher.group(1));
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttp(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MS);
        socket.setSoTimeout(TIMEOUT_MS);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Opens a connection. */
    static RawHttp connect(int port) throws IOException {
        return new RawHttp(port);
    }

    /** {@code GET path} on a connection of its own. */
    static Answer get(int port, String path) throws IOException {
        try (RawHttp http = connect(port)) {
            return http.get(path);
        }
    }

    /** {@code GET path} on this connection, kept alive. */
    Answer get(String path) throws IOException {
        send(path);
        return receive();
    }

    /** Writes {@code GET path}; the answer is read by {@link #receive()}. */
    void send(String path) throws IOException {
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads one answer. */
    Answer receive() throws IOException {
        String statusLine = line();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP status line: '" + statusLine + "'");
        }
        int status = Integer.parseInt(parts[1]);
        long length = -1;
        boolean chunked = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            String name = header.substring(0, Math.max(colon, 0)).strip().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).strip();
            if (name.equals("content-length")) {
                length = Long.parseLong(value);
            } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (long size = Long.parseLong(line().split(";")[0].strip(), 16); size > 0;
                    size = Long.parseLong(line().split(";")[0].strip(), 16)) {
                body.write(exactly(size));
                line();
            }
            for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                // trailers are not used
            }
        } else if (length >= 0) {
            body.write(exactly(length));
        } else {
            body.write(in.readAllBytes());
        }
        return new Answer(status, body.toString(StandardCharsets.UTF_8));
    }

    private byte[] exactly(long length) throws IOException {
        byte[] bytes = in.readNBytes((int) length);
        if (bytes.length != length) {
            throw new EOFException("the connection ended after " + bytes.length + " of " + length + " body bytes");
        }
        return bytes;
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("the connection ended" + (line.isEmpty() ? "" : " within '" + line + "'"));
            }
            if (c == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) c);
        }
    }

    /** The local port of this connection, as the server sees it. */
    int localPort() {
        return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
