package dev.baton.spring;

import dev.baton.Baton;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code baton} health contributor: this generation's number, pid and state, and the last upgrade.
 * Always UP while the process answers: a draining generation still serves what it has, and the
 * service's readiness is the readiness state's to tell.
 */
final class BatonHealthIndicator implements HealthIndicator {

    private final Baton baton;
    private final BatonGeneration generation;

    BatonHealthIndicator(Baton baton, BatonGeneration generation) {
        this.baton = baton;
        this.generation = generation;
    }

    @Override
    public Health health() {
        return Health.up()
                .withDetail("generation", baton.generation())
                .withDetail("pid", baton.pid())
                .withDetail("state", baton.state().name())
                .withDetail("lastReload", generation.lastReload())
                .build();
    }
}
