/**
 * Baton's meters for Micrometer: upgrades by outcome, time to ready, drain duration, connections cut by
 * the hammer, generations draining and the current generation, bound with {@link dev.baton.micrometer.BatonMetrics}.
 *
 * <p>It exports one package, {@link dev.baton.micrometer}, and uses only baton-core's public API.
 */
module dev.baton.micrometer {
    requires transitive dev.baton;
    requires transitive micrometer.core; // an automatic module (see the pom: javac warns of that)

    exports dev.baton.micrometer;
}
