package dev.baton.supervisor;

import dev.baton.ServiceStatus;
import dev.baton.UpgradeResult;
import dev.baton.internal.control.ControlChannel;
import dev.baton.internal.control.ControlDispatcher;
import dev.baton.internal.control.ControlServer;
import dev.baton.internal.control.ControlledService;
import dev.baton.internal.control.HandoverHandler;
import dev.baton.internal.control.Refusals;
import dev.baton.internal.protocol.Message;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The supervisor as a {@link ControlledService}: what {@code baton reload | status | stop |
 * upgrade-supervisor} and the signals call on the {@link Supervisor}, through the one
 * {@link ControlDispatcher} and {@link dev.baton.internal.service.ServiceSignals} both modes share.
 *
 * <p>Owns three facts of its own: how many control requests are being served (an upgrade of the
 * supervisor waits until only its own is), whether a new program image has taken over yet
 * (requests wait for that, at most the control timeout), and the reloads' figures a status shows (they
 * start again at zero in a new program image). Requests run on the control server's threads.
 */
final class SupervisorControl implements ControlledService {

    /** How long a control connection may take to send its request, and a request to wait for a take-over. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Supervisor supervisor;
    private final ControlDispatcher dispatcher;
    private final AtomicInteger activeRequests = new AtomicInteger();
    private final CountDownLatch takenOver = new CountDownLatch(1);
    /**
     * The service's figures: reloads by outcome, the last time to ready, and the last drain as the time from an
     * old worker's SIGTERM to its exit (a supervisor sees no connection, so nothing is counted as hammered).
     */
    private final AtomicReference<ServiceStatus.Figures> figures = new AtomicReference<>(ServiceStatus.Figures.NONE);

    /** @param takingOver whether requests must wait for {@link #tookOver()} (a new program image) */
    SupervisorControl(Supervisor supervisor, boolean takingOver) {
        this.supervisor = supervisor;
        this.dispatcher = new ControlDispatcher(this, HandoverHandler.SUPERVISED);
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

    /** What the control server calls: counts the request, waits for a take-over, then dispatches it. */
    ControlServer.Handler handler() {
        return (channel, peer, request) -> {
            activeRequests.incrementAndGet();
            try {
                if (!takenOver.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    channel.send(new Message.Refused(Refusals.supervisorStillTakingOver()));
                    return;
                }
                dispatcher.handle(channel, peer, request);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                activeRequests.decrementAndGet();
            }
        };
    }

    @Override
    public long pid() {
        return supervisor.pid();
    }

    @Override
    public UpgradeResult reload(String trigger) {
        UpgradeResult result = supervisor.reload(trigger);
        figures.updateAndGet(f -> f.counting(result));
        return result;
    }

    /** An old worker exited {@code took} after its SIGTERM: its drain is over. */
    void drained(Duration took) {
        figures.updateAndGet(f -> f.countingDrain(took, 0));
    }

    @Override
    public ServiceStatus status() {
        ServiceStatus status = supervisor.status();
        int draining = (int) status.processes().stream()
                .filter(worker -> worker.state() == ServiceStatus.State.DRAINING).count();
        return status.withFigures(figures.get().withGenerationsDraining(draining));
    }

    @Override
    public void stop(boolean now, String trigger) {
        supervisor.stop(now, trigger);
    }

    @Override
    public boolean upgradesInPlace() {
        return true;
    }

    @Override
    public Message upgradeSupervisor(String trigger, ControlChannel channel) {
        return supervisor.upgradeSelf(trigger, channel);
    }
}
