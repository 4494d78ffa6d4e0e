/**
 * Baton's supervised mode: a process with a stable pid that owns the listeners and runs workers of any
 * language with them ({@code baton run}).
 *
 * <p>It exports one package, {@link dev.baton.supervisor}, and reads baton-core's internal packages,
 * which baton-core exports to this module alone.
 */
module dev.baton.supervisor {
    requires transitive dev.baton;

    exports dev.baton.supervisor;
}
