package dev.baton.micrometer;

import dev.baton.Baton;
import dev.baton.LifecycleListener;
import dev.baton.ServiceStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToDoubleFunction;

/**
 * Baton's meters for one generation, bound to any number of registries. Bind it when the generation opens,
 * before {@link Baton#ready()}: {@code BatonMetrics.of(baton).bindTo(registry)}.
 *
 * <table>
 *   <caption>The meters (Prometheus names in brackets)</caption>
 *   <tr><th>meter</th><th>kind</th><th>what</th></tr>
 *   <tr><td>{@code baton.upgrades} ({@code baton_upgrades_total}), tag {@code outcome} =
 *       {@code succeeded | failed | refused}</td><td>counter</td><td>upgrades of the service, by how they
 *       ended</td></tr>
 *   <tr><td>{@code baton.upgrade.ready} ({@code baton_upgrade_ready_seconds})</td><td>timer</td><td>from the
 *       start of a successful upgrade until its new generation was ready</td></tr>
 *   <tr><td>{@code baton.drain} ({@code baton_drain_seconds})</td><td>timer</td><td>how long a generation
 *       took to drain</td></tr>
 *   <tr><td>{@code baton.hammered} ({@code baton_hammered_connections_total})</td><td>counter</td><td>connections
 *       the hammer closed at the drain timeout</td></tr>
 *   <tr><td>{@code baton.generations.draining} ({@code baton_generations_draining})</td><td>gauge</td><td>older
 *       generations still draining</td></tr>
 *   <tr><td>{@code baton.generation} ({@code baton_generation})</td><td>gauge</td><td>the number of the
 *       generation serving in this process</td></tr>
 * </table>
 *
 * <p>A generation's registry lives in its own process and is gone once it exits, so the meters follow the
 * service rather than the process: the two counters read the service's figures
 * ({@link ServiceStatus.Figures}), which each successor takes over from its predecessor, so they never fall
 * back at an upgrade; each generation's timers record the upgrade that started it (its time to ready) and
 * the drains older generations report to it after the handover, and its own drain.
 *
 * <p>Thread-safe: Baton calls the listener methods on its own threads.
 */
public final class BatonMetrics implements MeterBinder {

    private final Baton baton;
    private final Tags tags;
    private final List<Timer> readyTimers = new CopyOnWriteArrayList<>();
    private final List<Timer> drainTimers = new CopyOnWriteArrayList<>();

    private BatonMetrics(Baton baton, Iterable<Tag> tags) {
        this.baton = baton;
        this.tags = Tags.of(tags);
        baton.addLifecycleListener(new Listener());
    }

    /** The meters of {@code baton}'s generation; listens to its lifecycle from now on. */
    public static BatonMetrics of(Baton baton) {
        return of(baton, Tags.empty());
    }

    /** The meters of {@code baton}'s generation, each with {@code tags} too. */
    public static BatonMetrics of(Baton baton, Iterable<Tag> tags) {
        return new BatonMetrics(Objects.requireNonNull(baton, "baton"), Objects.requireNonNull(tags, "tags"));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        upgrades(registry, "succeeded", ServiceStatus.Figures::upgradesSucceeded);
        upgrades(registry, "failed", ServiceStatus.Figures::upgradesFailed);
        upgrades(registry, "refused", ServiceStatus.Figures::upgradesRefused);
        readyTimers.add(Timer.builder("baton.upgrade.ready")
                .description("From the start of a successful upgrade until its new generation was ready")
                .tags(tags).register(registry));
        drainTimers.add(Timer.builder("baton.drain")
                .description("How long a generation took to drain, until its last connection was done or hammered")
                .tags(tags).register(registry));
        FunctionCounter.builder("baton.hammered", baton, b -> figures(b, ServiceStatus.Figures::hammered))
                .description("Connections the hammer closed at the drain timeout")
                .baseUnit("connections").tags(tags).register(registry);
        Gauge.builder("baton.generations.draining", baton,
                        b -> figures(b, ServiceStatus.Figures::generationsDraining))
                .description("Older generations still draining").tags(tags).register(registry);
        Gauge.builder("baton.generation", baton, Baton::generation)
                .description("The generation serving in this process").tags(tags).register(registry);
    }

    private void upgrades(MeterRegistry registry, String outcome, ToDoubleFunction<ServiceStatus.Figures> count) {
        FunctionCounter.builder("baton.upgrades", baton, b -> figures(b, count))
                .description("Upgrades of the service, by how they ended")
                .tags(tags).tag("outcome", outcome).register(registry);
    }

    private static double figures(Baton baton, ToDoubleFunction<ServiceStatus.Figures> figure) {
        return figure.applyAsDouble(baton.status().figures());
    }

    /** Feeds the timers from the lifecycle. */
    private final class Listener implements LifecycleListener {

        @Override
        public void serving(int generation) {
            if (generation > 1) {
                baton.status().figures().lastTimeToReady()
                        .ifPresent(took -> readyTimers.forEach(timer -> timer.record(took)));
            }
        }

        @Override
        public void drained(int generation, Duration took, int hammered) {
            drainTimers.forEach(timer -> timer.record(took));
        }

        @Override
        public String toString() {
            return "BatonMetrics of generation " + baton.generation();
        }
    }
}
