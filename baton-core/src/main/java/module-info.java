/**
 * Baton's core: zero-downtime restarts for JVM network servers on Linux, through {@code java.lang.foreign}.
 *
 * <p>Applications see one package, {@link dev.baton}. The internal packages (the Linux calls, listeners,
 * the control protocol and socket, the service plumbing) are exported only to the supervisor, which
 * shares them; nothing else can reach them on the module path.
 *
 * <p>Run as a named module it needs {@code --enable-native-access=dev.baton} and
 * {@code --add-opens=java.base/sun.nio.ch=dev.baton}; {@link dev.baton.Baton#open} names what is missing.
 */
module dev.baton {
    requires jdk.unsupported; // sun.misc.Signal: the signals that trigger an upgrade or a stop
    requires jdk.jfr; // the dev.baton.* flight recorder events

    exports dev.baton;
    exports dev.baton.internal.control to dev.baton.supervisor;
    exports dev.baton.internal.listen to dev.baton.supervisor;
    exports dev.baton.internal.os to dev.baton.supervisor;
    exports dev.baton.internal.protocol to dev.baton.supervisor;
    exports dev.baton.internal.service to dev.baton.supervisor;
}
