package dev.baton.internal.control;

import dev.baton.internal.os.PeerCredentials;
import dev.baton.internal.protocol.Message;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

/**
 * The one map from a control request to what a {@link ControlledService} does, and the reply it sends:
 * both modes serve their control socket through it. A handover request goes to the {@link HandoverHandler}
 * the mode plugs in (the in-process generation's, or {@link HandoverHandler#SUPERVISED}).
 *
 * <p>Stateless: each request is served on the thread {@link ControlServer} gives it.
 */
public final class ControlDispatcher implements ControlServer.Handler {

    private final ControlledService service;
    private final HandoverHandler handover;

    public ControlDispatcher(ControlledService service, HandoverHandler handover) {
        this.service = Objects.requireNonNull(service, "service");
        this.handover = Objects.requireNonNull(handover, "handover");
    }

    @Override
    public void handle(ControlChannel channel, PeerCredentials peer, Message request) throws IOException {
        switch (request) {
            case Message.HandoverRequest handoverRequest -> handover.handover(channel, peer, handoverRequest);
            case Message.ReloadRequest _ ->
                    channel.send(ReloadResults.toMessage(service.reload("baton reload (pid " + peer.pid() + ")")));
            case Message.StatusRequest _ -> channel.send(new Message.StatusReply(service.status()));
            case Message.StopRequest stop -> {
                // The acknowledgement goes first: stopping may close the control socket.
                channel.send(new Message.StopAck(service.pid()));
                service.stop(stop.now(), "baton stop" + (stop.now() ? " --now" : "") + " (pid " + peer.pid() + ")");
            }
            case Message.DrainReport report -> // one way: the reporting generation does not wait for a reply
                    service.drainReported(report.generation(), Duration.ofMillis(report.drainMillis()),
                            report.hammered());
            case Message.UpgradeSupervisorRequest _ -> {
                Message reply = service.upgradeSupervisor("baton upgrade-supervisor (pid " + peer.pid() + ")", channel);
                if (reply != null) {
                    channel.send(reply);
                }
            }
            case Message.Handover _, Message.ReadyNotice _, Message.ReadyAck _, Message.ReloadResult _,
                    Message.StatusReply _, Message.StopAck _, Message.Refused _, Message.UpgradeSupervisorResult _ ->
                    channel.send(new Message.Refused(Refusals.unexpectedRequest(request)));
        }
    }
}
