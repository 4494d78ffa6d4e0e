package dev.baton.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The warm-up before ready: requests through the application's own pipeline on embedded connections. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NettyWarmUpTest {

    /** A request the application handler saw: its path and the kind of channel it came on. */
    private record Seen(String uri, Class<?> channel) {}

    private final Queue<Seen> seen = new ConcurrentLinkedQueue<>();

    /** The application's handler: {@code /later} answers 50 ms later on the event loop, {@code /never} never. */
    @ChannelHandler.Sharable
    private final class Application extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            seen.add(new Seen(request.uri(), ctx.channel().getClass()));
            switch (request.uri()) {
                case "/broken" -> answer(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR);
                case "/throws" -> throw new IllegalStateException("the application is not warm yet");
                case "/later" -> ctx.executor().schedule(() -> answer(ctx, HttpResponseStatus.OK), 50, TimeUnit.MILLISECONDS);
                case "/never" -> { }
                default -> answer(ctx, HttpResponseStatus.OK);
            }
        }

        private static void answer(ChannelHandlerContext ctx, HttpResponseStatus status) {
            DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(new byte[] {'o', 'k'}));
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 2);
            ctx.writeAndFlush(response);
        }
    }

    /** The pipeline of every connection, as an application gives it to {@code ServerBootstrap.childHandler}. */
    private final ChannelInitializer<Channel> connections = new ChannelInitializer<>() {
        private final Application application = new Application();

        @Override
        protected void initChannel(Channel connection) {
            connection.pipeline().addLast(new HttpServerCodec(), new Http1DrainHandler(), new HttpObjectAggregator(65_536),
                    application);
        }
    };

    @Test
    void warmUp_sendsEveryRoundThroughTheApplicationsPipeline_onEmbeddedConnections() {
        NettyWarmUp.Result result = BatonNetty.warmUp(connections).get("/").get("/later").rounds(3).run();

        assertThat(result.requests()).isEqualTo(6);
        assertThat(result.failed()).isZero();
        assertThat(result.firstFailure()).isEmpty();
        assertThat(List.copyOf(seen)).hasSize(6).allMatch(s -> s.channel() == EmbeddedChannel.class)
                .extracting(Seen::uri).containsExactly("/", "/later", "/", "/later", "/", "/later");
    }

    @Test
    void warmUp_requestsThatFail_areCountedAndNeverThrown() {
        NettyWarmUp.Result result = BatonNetty.warmUp(connections).get("/broken").get("/throws").get("/").rounds(2).run();

        assertThat(result.requests()).isEqualTo(6);
        assertThat(result.failed()).isEqualTo(4);
        assertThat(result.firstFailure()).hasValueSatisfying(f -> assertThat(f).contains("GET /broken", "500"));
        assertThat(seen).hasSize(6);
    }

    @Test
    void warmUp_aRequestWithoutAnswer_endsTheWarmUpAtItsTimeout() {
        NettyWarmUp.Result result = BatonNetty.warmUp(connections).get("/never").get("/").rounds(5)
                .requestTimeout(Duration.ofMillis(300)).run();

        assertThat(result.requests()).isEqualTo(1);
        assertThat(result.failed()).isEqualTo(1);
        assertThat(result.firstFailure()).hasValueSatisfying(f -> assertThat(f).contains("GET /never", "no answer"));
    }

    @Test
    void warmUp_refusesAHandlerThatCannotSetUpSeveralConnections_andBadPaths() {
        assertThatThrownBy(() -> BatonNetty.warmUp(new ChannelInboundHandlerAdapter()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ChannelInitializer");
        assertThatThrownBy(() -> BatonNetty.warmUp(connections).get("no-slash"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must start with /");
        assertThatThrownBy(() -> BatonNetty.warmUp(connections).run())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("get(path)");
    }
}
