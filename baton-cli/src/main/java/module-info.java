/**
 * The {@code baton} command: run, reload, status, stop and upgrade-supervisor.
 *
 * <p>It exports nothing; picocli reads its commands reflectively. It needs baton-core, the supervisor and
 * picocli, and nothing of Jetty or the load generator.
 */
module dev.baton.cli {
    requires dev.baton.supervisor;
    requires info.picocli;
    requires java.logging;

    opens dev.baton.cli to info.picocli;
}
