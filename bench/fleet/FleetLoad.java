// Closed-loop load through the fleet's load balancer, with baton-load's generator (on the class path: the
// demo's jar). Runs until its standard input closes, then prints the report's table and one line
// "failed=N requests=M". Usage: java -cp baton-demo.jar FleetLoad.java PORT CONNECTIONS
import dev.baton.load.ConnectionMode;
import dev.baton.load.LoadGenerator;
import dev.baton.load.LoadOptions;
import dev.baton.load.LoadReport;
import dev.baton.load.LoadRun;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    LoadOptions options = LoadOptions.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
            .withConnections(Integer.parseInt(args[1]))
            .withDuration(Duration.ofMinutes(30))
            .withMode(ConnectionMode.NEW_CONNECTION); // TCP mode balances connections: one per request spreads them
    LoadReport report;
    try (LoadRun load = LoadGenerator.start(options)) {
        System.out.println("load started");
        System.out.flush();
        System.in.readAllBytes(); // until the script closes the pipe
        report = load.stop();
    }
    System.out.println(report.toTable());
    System.out.println("failed=" + report.failures() + " requests=" + report.requests());
}
