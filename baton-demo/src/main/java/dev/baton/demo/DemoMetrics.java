package dev.baton.demo;

import dev.baton.Baton;
import dev.baton.micrometer.BatonMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The demo server's {@code GET /metrics}: a Prometheus registry with Baton's meters of this generation. */
final class DemoMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    private DemoMetrics(Baton baton) {
        BatonMetrics.of(baton).bindTo(registry);
    }

    /** Binds the meters of {@code baton}'s generation; before {@link Baton#ready()}, so they hear it. */
    static DemoMetrics of(Baton baton) {
        return new DemoMetrics(baton);
    }

    /** The meters in the Prometheus text format. */
    String scrape() {
        return registry.scrape();
    }
}
