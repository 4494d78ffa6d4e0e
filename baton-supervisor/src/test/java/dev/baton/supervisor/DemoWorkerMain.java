package dev.baton.supervisor;

import dev.baton.BatonOptions;
import dev.baton.demo.DemoServer;
import dev.baton.demo.DemoServerOptions;

/**
 * The demo server (Jetty on Baton) as a supervised Java worker, for the tests: what
 * {@code baton demo-server --port PORT --name NAME} runs. Under a supervisor it takes its {@code http}
 * listener from LISTEN_FDS and reports ready through NOTIFY_SOCKET.
 */
public final class DemoWorkerMain {

    private DemoWorkerMain() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String name = args[1];
        System.exit(DemoServer.run(new DemoServerOptions("127.0.0.1", port, null,
                BatonOptions.defaults().withName(name)), System.err));
    }
}
