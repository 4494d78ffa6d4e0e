/**
 * Baton's demo: a Jetty server on Baton, the demo job that upgrades it under a closed-loop load, and the
 * {@code demo}, {@code demo-server} and {@code bench} commands.
 *
 * <p>It exports {@link dev.baton.demo} and uses only the public APIs of baton-core, baton-jetty and
 * baton-load, as any application would.
 */
module dev.baton.demo {
    requires transitive dev.baton.jetty;
    requires transitive dev.baton.load;
    requires info.picocli;
    requires java.logging;

    exports dev.baton.demo;

    opens dev.baton.demo.cli to info.picocli;
}
