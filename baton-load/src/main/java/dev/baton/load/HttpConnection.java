package dev.baton.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * The client side of one established HTTP/1.1 connection: writes a request and reads its response,
 * strictly, within a deadline.
 *
 * <p>A response is read whole: status line, headers, then a body delimited by
 * {@code Content-Length}, by chunked transfer coding, or by the end of the connection. Interim 1xx
 * responses are skipped. Every way the exchange can end early is an exception that
 * {@link Failures#classify} understands: {@link PrematureEofException} when the server closed
 * cleanly, {@link SocketTimeoutException} when the deadline passed, {@link ProtocolException} for
 * bytes that are not HTTP/1.1, and the socket's own exceptions for resets.
 *
 * <p>Owned by one worker thread; another thread may only close its socket.
 */
final class HttpConnection {

    /** The longest status line, header line or chunk-size line accepted. */
    private static final int MAX_LINE = 8192;
    /** The most header lines accepted in one response. */
    private static final int MAX_HEADERS = 200;
    /** How much of each body is kept to look for {@code pid=} and {@code generation=}. */
    static final int SCANNED_BODY_BYTES = 8192;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final long connectedAtNanos;
    private final byte[] buffer = new byte[16 * 1024];
    private final byte[] line = new byte[MAX_LINE];
    private final byte[] body = new byte[SCANNED_BODY_BYTES];
    private int position;
    private int limit;

    private long requests;
    private long bytesReceived;
    private long deadlineNanos;
    private Duration timeout = Duration.ZERO;

    HttpConnection(Socket socket, long connectedAtNanos) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.connectedAtNanos = connectedAtNanos;
    }

    /** The parts of a complete response the load generator uses. */
    record Response(int status, String statusLine, boolean close, long pid, long generation) {
    }

    /**
     * Sends {@code request} and reads its complete response, all within {@code timeout}.
     *
     * @throws IOException if the exchange does not end with a complete response
     */
    Response exchange(byte[] request, Duration timeout) throws IOException {
        this.timeout = timeout;
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
        this.requests++;
        this.bytesReceived = 0;
        out.write(request);
        out.flush();
        return readResponse();
    }

    /** How many requests were sent on this connection, the current one included. */
    long requests() {
        return requests;
    }

    /** How many bytes of the current response have arrived. */
    long bytesReceived() {
        return bytesReceived;
    }

    /** How long this connection has been established. */
    Duration age() {
        return Duration.ofNanos(System.nanoTime() - connectedAtNanos);
    }

    private Response readResponse() throws IOException {
        while (true) {
            String statusLine = readLine("status line");
            int status = parseStatus(statusLine);
            boolean http10 = statusLine.startsWith("HTTP/1.0");
            long contentLength = -1;
            boolean chunked = false;
            boolean close = http10;
            for (int headers = 0; ; headers++) {
                if (headers > MAX_HEADERS) {
                    throw new ProtocolException("more than " + MAX_HEADERS + " header lines");
                }
                String header = readLine("headers");
                if (header.isEmpty()) {
                    break;
                }
                int colon = header.indexOf(':');
                if (colon <= 0) {
                    throw new ProtocolException("malformed header line: " + abbreviate(header));
                }
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> contentLength = parseContentLength(value, contentLength);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
                    case "connection" -> close = connectionSaysClose(value, close);
                    default -> { }
                }
            }
            if (status >= 100 && status < 200) {
                if (status == 101) {
                    throw new ProtocolException("unexpected 101 Switching Protocols");
                }
                continue;
            }
            int scanned;
            if (status == 204 || status == 304) {
                scanned = 0;
            } else if (chunked) {
                scanned = readChunkedBody();
            } else if (contentLength >= 0) {
                scanned = readFixedBody(contentLength, 0);
            } else {
                scanned = readBodyToEnd();
                close = true;
            }
            return new Response(status, statusLine, close,
                    BodyScan.find(body, scanned, BodyScan.PID), BodyScan.find(body, scanned, BodyScan.GENERATION));
        }
    }

    private static int parseStatus(String statusLine) throws ProtocolException {
        // "HTTP/1.1 200 OK": version, space, three digits, then a space or the end.
        if (statusLine.length() < 12 || !statusLine.startsWith("HTTP/1.") || statusLine.charAt(8) != ' '
                || (statusLine.length() > 12 && statusLine.charAt(12) != ' ')) {
            throw new ProtocolException("malformed status line: " + abbreviate(statusLine));
        }
        int status = 0;
        for (int i = 9; i < 12; i++) {
            char c = statusLine.charAt(i);
            if (c < '0' || c > '9') {
                throw new ProtocolException("malformed status line: " + abbreviate(statusLine));
            }
            status = status * 10 + (c - '0');
        }
        return status;
    }

    private static long parseContentLength(String value, long previous) throws ProtocolException {
        long length;
        try {
            length = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ProtocolException("malformed Content-Length: " + abbreviate(value));
        }
        if (length < 0 || (previous >= 0 && previous != length)) {
            throw new ProtocolException("invalid Content-Length: " + abbreviate(value));
        }
        return length;
    }

    private static boolean connectionSaysClose(String value, boolean closeSoFar) {
        boolean close = closeSoFar;
        for (String token : value.split(",")) {
            String t = token.trim();
            if (t.equalsIgnoreCase("close")) {
                return true;
            }
            if (t.equalsIgnoreCase("keep-alive")) {
                close = false;
            }
        }
        return close;
    }

    /** Reads {@code length} body bytes, keeping the first ones from {@code scanned} on. */
    private int readFixedBody(long length, int scanned) throws IOException {
        long left = length;
        while (left > 0) {
            if (position == limit && !fill()) {
                throw new PrematureEofException("server closed the connection with " + left + " of "
                        + length + " body bytes missing");
            }
            int n = (int) Math.min(left, limit - position);
            scanned = keep(n, scanned);
            position += n;
            left -= n;
        }
        return scanned;
    }

    private int readChunkedBody() throws IOException {
        int scanned = 0;
        while (true) {
            String sizeLine = readLine("chunk size");
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim();
            long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new ProtocolException("malformed chunk size: " + abbreviate(sizeLine));
            }
            if (size < 0) {
                throw new ProtocolException("malformed chunk size: " + abbreviate(sizeLine));
            }
            if (size == 0) {
                // Trailer fields, if any, then the empty line that ends the message.
                for (int trailers = 0; !readLine("trailers").isEmpty(); trailers++) {
                    if (trailers > MAX_HEADERS) {
                        throw new ProtocolException("more than " + MAX_HEADERS + " trailer lines");
                    }
                }
                return scanned;
            }
            scanned = readFixedBody(size, scanned);
            if (!readLine("chunk end").isEmpty()) {
                throw new ProtocolException("chunk of " + size + " bytes not followed by CRLF");
            }
        }
    }

    private int readBodyToEnd() throws IOException {
        int scanned = 0;
        while (position < limit || fill()) {
            int n = limit - position;
            scanned = keep(n, scanned);
            position += n;
        }
        return scanned;
    }

    /** Copies up to {@code n} bytes at the buffer's position into the scanned body, while it has room. */
    private int keep(int n, int scanned) {
        int copy = Math.min(n, body.length - scanned);
        if (copy > 0) {
            System.arraycopy(buffer, position, body, scanned, copy);
            return scanned + copy;
        }
        return scanned;
    }

    /** Reads one line ending in LF (an optional CR before it is dropped), as ISO-8859-1. */
    private String readLine(String part) throws IOException {
        int length = 0;
        while (true) {
            if (position == limit && !fill()) {
                throw new PrematureEofException(bytesReceived == 0
                        ? "server closed the connection before the status line"
                        : "server closed the connection in the " + part);
            }
            byte b = buffer[position++];
            if (b == '\n') {
                if (length > 0 && line[length - 1] == '\r') {
                    length--;
                }
                return new String(line, 0, length, StandardCharsets.ISO_8859_1);
            }
            if (length == line.length) {
                throw new ProtocolException("line in the " + part + " longer than " + MAX_LINE + " bytes");
            }
            line[length++] = b;
        }
    }

    /** Reads more bytes into the empty buffer; false at the end of the stream. */
    private boolean fill() throws IOException {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw timedOut(null);
        }
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000)));
        int n;
        try {
            n = in.read(buffer, 0, buffer.length);
        } catch (SocketTimeoutException e) {
            throw timedOut(e);
        }
        if (n < 0) {
            position = 0;
            limit = 0;
            return false;
        }
        position = 0;
        limit = n;
        bytesReceived += n;
        return true;
    }

    private SocketTimeoutException timedOut(SocketTimeoutException cause) {
        var e = new SocketTimeoutException("no complete response within " + timeout.toMillis() + " ms");
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    private static String abbreviate(String s) {
        String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() <= 80 ? "'" + printable + "'" : "'" + printable.substring(0, 80) + "...'";
    }

    /** The server closed the connection cleanly before the response was complete. */
    static final class PrematureEofException extends IOException {
        private static final long serialVersionUID = 1L;

        PrematureEofException(String message) {
            super(message);
        }
    }
}
