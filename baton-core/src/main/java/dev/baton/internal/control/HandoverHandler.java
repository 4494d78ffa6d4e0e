package dev.baton.internal.control;

import dev.baton.internal.os.PeerCredentials;
import dev.baton.internal.protocol.Message;
import java.io.IOException;

/**
 * The predecessor's side of a handover: what a generation does when its successor asks for the listeners.
 * The conversation goes on over {@code channel} (the handover, the successor's ready notice, the
 * acknowledgement) for up to the ready timeout, on a thread of its own.
 */
@FunctionalInterface
public interface HandoverHandler {

    /** Refuses every handover: a supervisor hands its listeners to its workers when it starts them. */
    HandoverHandler SUPERVISED = (channel, peer, request) ->
            channel.send(new Message.Refused(Refusals.supervisorHandsNoListeners()));

    void handover(ControlChannel channel, PeerCredentials peer, Message.HandoverRequest request) throws IOException;
}
