/**
 * Baton for Jetty 12: a connector on a Baton listener and a drain without a 503.
 *
 * <p>It exports one package, {@link dev.baton.jetty}, and uses only baton-core's public API.
 */
module dev.baton.jetty {
    requires transitive dev.baton;
    requires transitive org.eclipse.jetty.server;

    exports dev.baton.jetty;
}
