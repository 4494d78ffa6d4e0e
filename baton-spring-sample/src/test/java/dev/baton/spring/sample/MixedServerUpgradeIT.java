package dev.baton.spring.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.load.ConnectionMode;
import dev.baton.load.LoadGenerator;
import dev.baton.load.LoadReport;
import dev.baton.load.LoadRun;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Tomcat and Jetty generations share one listening socket: Tomcat never switches it to blocking mode
 * (O_NONBLOCK is a flag of the file description every generation holds, and a generation accepting from
 * a selector needs it), and an upgrade from one server to the other and back fails no request.
 */
@Isolated // runs alone (junit-platform.properties): a closed-loop load across upgrades
@Timeout(600)
class MixedServerUpgradeIT {

    @TempDir
    Path directory;

    @Test
    void upgrade_tomcatToJettyAndBack_listenerStaysNonBlockingAndNoRequestFails() throws Exception {
        try (SampleApp app = SampleApp.start(directory, "tomcat", "")) {
            long tomcat = app.servingPid();
            assertNonBlocking(app, tomcat, "Tomcat serving");
            InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), app.port());
            try (LoadRun load = LoadGenerator.start(SpringUpgradeIT.load(target, 6, ConnectionMode.KEEP_ALIVE))) {
                app.writeConfig("spring.profiles.active=jetty\n");
                long jetty = app.upgradeWithSighup();
                app.awaitExit(tomcat);
                assertThat(app.logText()).contains("[gen 2 pid " + jetty + "]").contains("Jetty started on port");
                assertNonBlocking(app, jetty, "Jetty serving after Tomcat");
                app.writeConfig("");
                long tomcatAgain = app.upgradeWithSighup();
                app.awaitExit(jetty);
                assertNonBlocking(app, tomcatAgain, "Tomcat serving after Jetty");
                LoadReport report = load.stop();
                app.recordPids(report);
                assertThat(report.failures()).as("%s%s", report.toTable(), app.logTail()).isZero();
                assertThat(report.pids().keySet()).contains(tomcat, jetty, tomcatAgain);
            }
        }
    }

    private static void assertNonBlocking(SampleApp app, long pid, String when) throws Exception {
        OptionalInt flags = ProcNet.listenerFlags(pid, app.port());
        assertThat(flags).as("pid %d holds the listener on port %d (%s)", pid, app.port(), when).isPresent();
        assertThat(flags.getAsInt() & ProcNet.O_NONBLOCK).as("O_NONBLOCK of the listener, %s: flags %s", when,
                Integer.toOctalString(flags.getAsInt())).isEqualTo(ProcNet.O_NONBLOCK);
    }
}
