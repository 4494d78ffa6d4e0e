package dev.baton.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The drain of one HTTP/1.1 connection, message by message, as a server that streams its responses
 * (Reactor Netty writes the headers, the body and the last content apart) drives it.
 */
class Http1DrainHandlerTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new Http1DrainHandler());

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    @Test
    void drainBeginsBetweenHeadersAndLastContent_connectionStaysOpen_nextResponseCloses() {
        channel.writeInbound(request());
        HttpResponse first = writeHeaders();
        drain();
        writeBodyAndEnd();

        // The client was told keep-alive: closing now would cut the request it may be sending.
        assertThat(HttpUtil.isKeepAlive(first)).isTrue();
        assertThat(channel.isOpen()).isTrue();

        channel.writeInbound(request());
        HttpResponse second = writeHeaders();
        writeBodyAndEnd();

        assertThat(HttpUtil.isKeepAlive(second)).isFalse();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void drainBeganBeforeTheHeaders_responseSaysCloseAndTheConnectionCloses() {
        channel.writeInbound(request());
        drain();
        HttpResponse response = writeHeaders();

        assertThat(HttpUtil.isKeepAlive(response)).isFalse();
        assertThat(channel.isOpen()).isTrue();

        writeBodyAndEnd();

        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void pipelinedRequests_onlyTheResponseToTheLastOneCloses() {
        channel.writeInbound(request());
        channel.writeInbound(request());
        drain();

        HttpResponse first = writeHeaders();
        writeBodyAndEnd();
        assertThat(HttpUtil.isKeepAlive(first)).isTrue();
        assertThat(channel.isOpen()).isTrue();

        HttpResponse second = writeHeaders();
        writeBodyAndEnd();
        assertThat(HttpUtil.isKeepAlive(second)).isFalse();
        assertThat(channel.isOpen()).isFalse();
    }

    private static DefaultHttpRequest request() {
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
    }

    private void drain() {
        channel.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE);
    }

    private HttpResponse writeHeaders() {
        channel.readInbound(); // the request, as the application took it
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        HttpUtil.setTransferEncodingChunked(response, true);
        channel.writeOutbound(response);
        return response;
    }

    private void writeBodyAndEnd() {
        channel.writeOutbound(new DefaultHttpContent(Unpooled.copiedBuffer("body", StandardCharsets.US_ASCII)));
        channel.writeOutbound(LastHttpContent.EMPTY_LAST_CONTENT);
        HttpObject written;
        while ((written = channel.readOutbound()) != null) {
            ReferenceCountUtil.release(written);
        }
    }
}
