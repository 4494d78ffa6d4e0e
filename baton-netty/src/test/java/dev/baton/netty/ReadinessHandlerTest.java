package dev.baton.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The readiness endpoint in a pipeline: 200 while the service serves, 503 from a final stop, the rest passes on. */
class ReadinessHandlerTest {

    private final List<String> application = new ArrayList<>();
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void closeChannels() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    private EmbeddedChannel pipeline(ReadinessHandler readiness) {
        EmbeddedChannel channel = new EmbeddedChannel(readiness, new SimpleChannelInboundHandler<FullHttpRequest>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
                application.add(request.uri());
            }
        });
        channels.add(channel);
        return channel;
    }

    private static FullHttpResponse get(EmbeddedChannel channel, String uri) {
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri));
        return channel.readOutbound();
    }

    @Test
    void ready_whileServing_answers200_otherPathsGoOnDownThePipeline() {
        EmbeddedChannel channel = pipeline(new ReadinessHandler());

        FullHttpResponse ready = get(channel, "/ready?probe=1");
        FullHttpResponse other = get(channel, "/shop");

        assertThat(ready.status().code()).isEqualTo(200);
        assertThat(ready.content().toString(StandardCharsets.UTF_8)).isEqualTo("ready\n");
        assertThat(ready.headers().get(HttpHeaderNames.CACHE_CONTROL)).isEqualTo("no-store");
        ready.release();
        assertThat(other).isNull();
        assertThat(application).containsExactly("/shop");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void ready_afterAFinalStopBegan_answers503_andClosesWhenTheClientAsks() {
        ReadinessHandler readiness = new ReadinessHandler("/healthz");
        EmbeddedChannel channel = pipeline(readiness);
        readiness.stopping(1);

        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/healthz");
        request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        channel.writeInbound(request);
        FullHttpResponse stopping = channel.readOutbound();

        assertThat(stopping.status().code()).isEqualTo(503);
        assertThat(stopping.content().toString(StandardCharsets.UTF_8)).isEqualTo("stopping\n");
        stopping.release();
        assertThat(channel.isOpen()).isFalse();
        assertThat(readiness.ready()).isFalse();
    }

    @Test
    void ready_handoverDrainAndUpgrade_neverTurnNotReady() {
        ReadinessHandler readiness = new ReadinessHandler();

        readiness.serving(2);
        readiness.drainingStarted(1);
        readiness.stopped(1, 0);

        assertThat(readiness.ready()).isTrue();
    }

    @Test
    void path_notStartingWithASlash_isRefusedNamingIt() {
        assertThatThrownBy(() -> new ReadinessHandler("ready"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("readiness path must start with '/', not 'ready'");
    }
}
