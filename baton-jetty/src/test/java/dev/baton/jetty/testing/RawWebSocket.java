package dev.baton.jetty.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A client WebSocket connection (RFC 6455) over a plain socket, written out so that tests see every
 * frame, the close status included, and can choose not to answer a close: the raw WebSocket client of
 * the adapter tests, which depends on no server.
 *
 * <p>Not thread-safe: one test thread reads and writes.
 */
public final class RawWebSocket implements AutoCloseable {

    /** What a read returns. */
    public sealed interface Incoming {
        /** A whole text message. */
        record Text(String text) implements Incoming {}

        /** A close frame; {@code status} is 1005 if the frame carried none. */
        record Close(int status, String reason) implements Incoming {}

        /** The server closed the TCP connection without a close frame. */
        record Eof() implements Incoming {}
    }

    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int TIMEOUT_MILLIS = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /**
     * Connects to 127.0.0.1 on the port and upgrades to WebSocket on the path.
     *
     * @throws IOException if the connection fails or the server does not answer 101 with the right accept key
     */
    public static RawWebSocket connect(int port, String path) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            RawWebSocket webSocket = new RawWebSocket(socket);
            webSocket.handshake(port, path);
            return webSocket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private void handshake(int port, String path) throws IOException {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String status = line();
        if (status == null || !status.startsWith("HTTP/1.1 101")) {
            throw new IOException("WebSocket upgrade of " + path + " refused: " + status);
        }
        String accept = null;
        for (String line = line(); line != null && !line.isEmpty(); line = line()) {
            if (line.regionMatches(true, 0, "Sec-WebSocket-Accept:", 0, 21)) {
                accept = line.substring(21).trim();
            }
        }
        if (!expectedAccept(key).equals(accept)) {
            throw new IOException("wrong Sec-WebSocket-Accept " + accept + " for key " + key);
        }
    }

    /** Sends a text message in one frame. */
    public void sendText(String text) throws IOException {
        sendFrame(0x1, true, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a text frame that may be the first (opcode text) or a continuation of a fragmented message. */
    public void sendFragment(String text, boolean first, boolean last) throws IOException {
        sendFrame(first ? 0x1 : 0x0, last, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a close frame with the status (answering the server's close, or starting one). */
    public void sendClose(int status) throws IOException {
        sendFrame(0x8, true, new byte[] {(byte) (status >> 8), (byte) status});
    }

    /**
     * Reads the next message or close frame, answering PINGs on the way.
     *
     * @throws SocketTimeoutException if nothing comes within 10 seconds
     */
    public Incoming read() throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        while (true) {
            int first = in.read();
            if (first == -1) {
                return new Incoming.Eof();
            }
            int opcode = first & 0x0f;
            boolean fin = (first & 0x80) != 0;
            byte[] payload = payload();
            switch (opcode) {
                case 0x8 -> {
                    int status = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
                    String reason = payload.length > 2
                            ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
                    return new Incoming.Close(status, reason);
                }
                case 0x9 -> sendFrame(0xA, true, payload);
                case 0xA -> {}
                default -> {
                    message.writeBytes(payload);
                    if (fin) {
                        return new Incoming.Text(message.toString(StandardCharsets.UTF_8));
                    }
                }
            }
        }
    }

    /** Waits (up to 10 seconds) for the server to close the TCP connection: true on EOF or reset. */
    public boolean awaitClosedByServer() throws IOException {
        try {
            while (true) {
                if (in.read() == -1) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private byte[] payload() throws IOException {
        int second = readByte();
        long length = second & 0x7f;
        if (length == 126) {
            length = (readByte() << 8) | readByte();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | readByte();
            }
        }
        if ((second & 0x80) != 0) {
            throw new IOException("the server masked a frame, which RFC 6455 forbids");
        }
        byte[] payload = in.readNBytes(Math.toIntExact(length));
        if (payload.length != length) {
            throw new EOFException("EOF after " + payload.length + " of " + length + " payload bytes");
        }
        return payload;
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b == -1) {
            throw new EOFException("EOF inside a frame header");
        }
        return b;
    }

    private void sendFrame(int opcode, boolean fin, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length <= 0xffff) {
            frame.write(0x80 | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >> shift));
            }
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    private String line() throws IOException {
        return HeadLines.read(in);
    }

    private static String expectedAccept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every JDK", e);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
