package dev.baton.supervisor;

import dev.baton.UpgradeResult;
import dev.baton.internal.control.ControlChannel;
import dev.baton.internal.control.ControlServer;
import dev.baton.internal.control.ReloadResults;
import dev.baton.internal.os.PeerCredentials;
import dev.baton.internal.protocol.Message;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The supervisor's answers on its control socket: each request ({@code baton reload | status | stop |
 * upgrade-supervisor}) becomes a call on the {@link Supervisor}, its result the reply.
 *
 * <p>Owns two facts and nothing else: how many requests are being served (an upgrade of the
 * supervisor waits until only its own is), and whether a new program image has taken over yet
 * (requests wait for that, at most the control timeout). Requests run on the control server's threads.
 */
final class SupervisorControl implements ControlServer.Handler {

    /** How long a control connection may take to send its request, and a request to wait for a take-over. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Supervisor supervisor;
    private final AtomicInteger activeRequests = new AtomicInteger();
    private final CountDownLatch takenOver = new CountDownLatch(1);

    /** @param takingOver whether requests must wait for {@link #tookOver()} (a new program image) */
    SupervisorControl(Supervisor supervisor, boolean takingOver) {
        this.supervisor = supervisor;
        if (!takingOver) {
            takenOver.countDown();
        }
    }

    /** The new program image has taken over what the old one carried: requests are served from now on. */
    void tookOver() {
        takenOver.countDown();
    }

    /** How many requests are being served now. */
    int activeRequests() {
        return activeRequests.get();
    }

    @Override
    public void handle(ControlChannel channel, PeerCredentials peer, Message request) throws IOException {
        activeRequests.incrementAndGet();
        try {
            if (!takenOver.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                channel.send(new Message.Refused("the supervisor is still taking over after upgrading itself"));
                return;
            }
            serve(channel, peer, request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            activeRequests.decrementAndGet();
        }
    }

    private void serve(ControlChannel channel, PeerCredentials peer, Message request) throws IOException {
        switch (request) {
            case Message.ReloadRequest _ -> {
                UpgradeResult result = supervisor.reload("baton reload (pid " + peer.pid() + ")");
                channel.send(ReloadResults.toMessage(result));
            }
            case Message.StatusRequest _ -> channel.send(supervisor.status());
            case Message.StopRequest stop -> {
                channel.send(new Message.StopAck(supervisor.pid()));
                supervisor.stop(stop.now(), "baton stop" + (stop.now() ? " --now" : "") + " (pid " + peer.pid() + ")");
            }
            case Message.UpgradeSupervisorRequest _ ->
                    channel.send(supervisor.upgradeSelf("baton upgrade-supervisor (pid " + peer.pid() + ")", channel));
            case Message.HandoverRequest _ -> channel.send(new Message.Refused("this is a Baton supervisor: it "
                    + "hands its listeners to the workers it starts, not over the control socket"));
            default -> channel.send(new Message.Refused("unexpected " + request.getClass().getSimpleName()
                    + " request"));
        }
    }
}
