package dev.baton.spring.sample;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A raw HTTP/1.1 client connection to 127.0.0.1, kept alive until the server closes it: what a test needs to see. */
final class Http implements AutoCloseable {

    private static final Pattern PID = Pattern.compile("\\bpid=(\\d+)");

    /** A response: status, headers as received (lower case), body. */
    record Answer(int status, String headers, String body) {
        long pid() {
            Matcher m = PID.matcher(body);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        }

        boolean closes() {
            return headers.contains("\nconnection: close");
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    Http(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(30_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** GET on a new connection. */
    static Answer get(int port, String path) throws IOException {
        try (Http http = new Http(port)) {
            return http.send(path);
        }
    }

    int localPort() {
        return socket.getLocalPort();
    }

    /** Writes a GET without reading the answer. */
    void write(String path) throws IOException {
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    Answer send(String path) throws IOException {
        write(path);
        return read();
    }

    /** Reads one response (Content-Length or chunked). */
    Answer read() throws IOException {
        String head = readHead();
        String[] lines = head.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        String headers = head.toLowerCase(Locale.ROOT).replace("\r\n", "\n");
        String body;
        Matcher length = Pattern.compile("\ncontent-length: *(\\d+)").matcher(headers);
        if (length.find()) {
            body = new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.UTF_8);
        } else if (headers.contains("\ntransfer-encoding: chunked")) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            while (true) {
                int size = Integer.parseInt(readLine().split(";")[0].strip(), 16);
                if (size == 0) {
                    readLine();
                    break;
                }
                all.write(in.readNBytes(size));
                readLine();
            }
            body = all.toString(StandardCharsets.UTF_8);
        } else {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return new Answer(status, headers, body);
    }

    /** Whether the server closed the connection (EOF) within the socket timeout. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    private String readHead() throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the server closed the connection before a response (read: " + head + ")");
            }
            head.append((char) b);
        }
        return head.toString();
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
