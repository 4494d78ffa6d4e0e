package dev.baton.jetty;

import dev.baton.Baton;
import dev.baton.LifecycleListener;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A readiness endpoint for load balancers and Kubernetes probes, wrapped around the application's
 * handler: a request for its path (default {@value #DEFAULT_PATH}) is answered {@code 200 ready} while the
 * service serves and {@code 503 stopping} from the moment a final stop begins (SIGTERM, {@code baton stop});
 * every other request goes to the wrapped handler.
 *
 * <p>Readiness belongs to the service, not to a generation: an in-place upgrade never shows 503, since the
 * new generation answers 200 before the old one stops accepting, and the old one's drain is no final stop.
 * With a shutdown delay ({@code BatonOptions.shutdownDelay}) the 503 comes at once and the service goes on
 * serving for the delay, which is the time a load balancer needs to notice:
 *
 * <pre>{@code
 * server.setHandler(BatonJetty.readiness(baton, new ShopHandler()));   // GET /ready: 200, then 503 on SIGTERM
 * }</pre>
 *
 * <p>Thread-safe: the one state, whether a final stop began, is a volatile flag set once.
 */
public final class ReadinessHandler extends Handler.Wrapper implements LifecycleListener {

    /** The path answered when none is given. */
    public static final String DEFAULT_PATH = "/ready";

    private static final String CONTENT_TYPE = "text/plain; charset=utf-8";
    private static final byte[] READY = "ready\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] STOPPING = "stopping\n".getBytes(StandardCharsets.UTF_8);

    private final String path;
    private volatile boolean stopping;

    /**
     * A readiness endpoint at {@code path} in front of {@code next}; register it with
     * {@link Baton#addLifecycleListener} (or build it with {@link BatonJetty#readiness}) so it hears the stop.
     *
     * @throws IllegalArgumentException if {@code path} does not start with {@code /}
     */
    public ReadinessHandler(String path, Handler next) {
        super(next);
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("readiness path must start with '/', not '" + path + "'");
        }
        this.path = path;
    }

    /** A readiness endpoint at {@value #DEFAULT_PATH} in front of {@code next}. */
    public ReadinessHandler(Handler next) {
        this(DEFAULT_PATH, next);
    }

    /** Whether it answers 200: true until a final stop begins. */
    public boolean ready() {
        return !stopping;
    }

    /** A final stop began: from now on the endpoint answers 503. */
    @Override
    public void stopping(int generation) {
        stopping = true;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!path.equals(Request.getPathInContext(request))) {
            return super.handle(request, response, callback);
        }
        boolean ready = ready();
        byte[] body = ready ? READY : STOPPING;
        response.setStatus(ready ? 200 : 503);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, CONTENT_TYPE);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
