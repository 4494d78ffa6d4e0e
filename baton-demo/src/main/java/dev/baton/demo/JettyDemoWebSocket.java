package dev.baton.demo;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * One WebSocket session of the Jetty demo, on Jetty's core API: each text message echoed as
 * {@link WebSocketEcho} says. It demands the next frame only once the echo is sent, so that baton-jetty's
 * drain sees no message in flight between echoes and closes with 1001 there.
 */
final class JettyDemoWebSocket implements FrameHandler {

    private final WebSocketEcho echo;
    private final StringBuilder message = new StringBuilder();
    private volatile CoreSession session;

    JettyDemoWebSocket(WebSocketEcho echo) {
        this.echo = echo;
    }

    @Override
    public void onOpen(CoreSession coreSession, Callback callback) {
        session = coreSession;
        callback.succeeded();
        coreSession.demand();
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
        byte opCode = frame.getOpCode();
        if (opCode != OpCode.TEXT && opCode != OpCode.CONTINUATION) {
            callback.succeeded(); // Jetty answers pings and close frames itself
            if (opCode != OpCode.CLOSE) {
                session.demand();
            }
            return;
        }
        message.append(frame.getPayloadAsUTF8());
        if (!frame.isFin()) {
            callback.succeeded();
            session.demand();
            return;
        }
        String text = message.toString();
        message.setLength(0);
        session.sendFrame(new Frame(OpCode.TEXT, echo.answer(text)), Callback.from(() -> {
            callback.succeeded();
            session.demand();
        }, callback::failed), false);
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
        callback.succeeded();
    }

    @Override
    public void onClosed(CloseStatus closeStatus, Callback callback) {
        callback.succeeded();
    }
}
