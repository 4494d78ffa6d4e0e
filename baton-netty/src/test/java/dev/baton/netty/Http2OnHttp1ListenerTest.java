package dev.baton.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.netty.testing.Http1Client;
import dev.baton.netty.testing.NettyTestServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bad input on a Netty listener that speaks HTTP/1.1 only ({@code HttpServerCodec} and Baton's
 * {@link Http1DrainHandler}, then {@link Http1BadInputHandler}; no h2c): an HTTP/2 client with prior knowledge (its first bytes are the
 * connection preface, RFC 9113 section 3.4) and bytes that are no HTTP at all get an HTTP/1.1 error
 * and a closed connection, not a hang; the server goes on serving HTTP/1.1. Jetty's counterpart is
 * baton-jetty's {@code Http2OnHttp1ListenerTest}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Http2OnHttp1ListenerTest {

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** An empty SETTINGS frame: length 0, type 4, no flags, stream 0, as a client sends right after the preface. */
    private static final byte[] SETTINGS = {0, 0, 0, 4, 0, 0, 0, 0, 0};
    /** The start of a TLS ClientHello, then binary noise: what a TLS client or a port scanner sends. */
    private static final byte[] GARBAGE = {0x16, 0x03, 0x01, 0x00, (byte) 0xa5, 0x01, 0x00, 0x00, (byte) 0xa1, 0x03,
            0x03, 0x00, (byte) 0xff, 0x7f, 0x0d, 0x0a, 0x0d, 0x0a};
    private static final int READ_TIMEOUT_MILLIS = 20_000;

    private NettyTestServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void http2PriorKnowledge_onHttp1OnlyListener_getsAnHttp1ErrorAndTheConnectionCloses_notAHang(Transport transport)
            throws Exception {
        server = NettyTestServer.startHttp1Only(transport);

        String answer = sendAndReadUntilClosed(concat(PREFACE, SETTINGS));

        assertThat(answer).as("the whole answer, read until the server closed").startsWith("HTTP/1.1 ");
        assertThat(Integer.parseInt(answer.substring(9, 12))).as(answer).isEqualTo(400);
        assertThat(answer).contains("connection: close", "speaks HTTP/1.1 only", "HTTP/2 connection preface");
        assertServesHttp1();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void garbageBytes_onHttp1OnlyListener_getAnHttp1ErrorAndTheConnectionCloses_notAHang(Transport transport)
            throws Exception {
        server = NettyTestServer.startHttp1Only(transport);

        String answer = sendAndReadUntilClosed(GARBAGE);

        assertThat(answer).as("the whole answer, read until the server closed").startsWith("HTTP/1.1 ");
        assertThat(Integer.parseInt(answer.substring(9, 12))).as(answer).isEqualTo(400);
        assertThat(answer).contains("connection: close", "not an HTTP/1.1 request");
        assertServesHttp1();
    }

    private String sendAndReadUntilClosed(byte[] bytes) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port)) {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS); // a hang fails the read with SocketTimeoutException
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return readUntilClosed(socket.getInputStream());
        }
    }

    private void assertServesHttp1() throws Exception {
        try (Http1Client client = new Http1Client(server.port)) {
            assertThat(client.get("/").status()).isEqualTo(200);
        }
    }

    private static String readUntilClosed(InputStream in) throws Exception {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        in.transferTo(answer);
        return answer.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
