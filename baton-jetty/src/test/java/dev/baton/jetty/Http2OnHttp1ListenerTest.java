package dev.baton.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input: an HTTP/2 client with prior knowledge (its first bytes are the connection preface,
 * RFC 9113 section 3.4) talking to a connector of {@link BatonJetty#connector(org.eclipse.jetty.server.Server,
 * java.nio.channels.ServerSocketChannel)}, which speaks HTTP/1.1 only.
 */
class Http2OnHttp1ListenerTest {

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** An empty SETTINGS frame: length 0, type 4, no flags, stream 0, as a client sends right after the preface. */
    private static final byte[] SETTINGS = {0, 0, 0, 4, 0, 0, 0, 0, 0};
    private static final int READ_TIMEOUT_MILLIS = 20_000;

    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer(Duration.ofSeconds(1));
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void http2PriorKnowledge_onHttp1OnlyConnector_getsAnHttp1ErrorAndTheConnectionCloses_notAHang() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port)) {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS); // a hang fails the read with SocketTimeoutException
            socket.getOutputStream().write(PREFACE);
            socket.getOutputStream().write(SETTINGS);
            socket.getOutputStream().flush();

            String answer = readUntilClosed(socket.getInputStream());

            assertThat(answer).as("the whole answer, read until the server closed").startsWith("HTTP/1.1 ");
            int status = Integer.parseInt(answer.substring(9, 12));
            assertThat(status).as(answer).isBetween(400, 599);
        }
    }

    @Test
    void http2PriorKnowledge_onHttp1OnlyConnector_leavesTheServerServingHttp1() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port)) {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket.getOutputStream().write(PREFACE);
            readUntilClosed(socket.getInputStream());
        }
        try (var http = server.connect()) {
            assertThat(http.exchange("/").status()).isEqualTo(200);
        }
    }

    private static String readUntilClosed(InputStream in) throws Exception {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        in.transferTo(answer);
        return answer.toString(StandardCharsets.ISO_8859_1);
    }
}
