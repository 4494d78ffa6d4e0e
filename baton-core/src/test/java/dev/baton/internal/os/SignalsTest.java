package dev.baton.internal.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Signal handling in a real child JVM, started the way nohup and background scripts start it. */
class SignalsTest {

    /** The child: handles SIGHUP, says so on stdout, and exits after the first one. */
    public static final class HupChild {
        public static void main(String[] args) throws Exception {
            Object got = new Object();
            boolean[] received = {false};
            System.out.println("ignored-at-start=" + Signals.isIgnored(Processes.SIGHUP));
            Signals.handle("HUP", () -> {
                synchronized (got) {
                    received[0] = true;
                    got.notifyAll();
                }
            });
            System.out.println("ignored-after=" + Signals.isIgnored(Processes.SIGHUP));
            System.out.println("handling");
            System.out.flush();
            synchronized (got) {
                while (!received[0]) {
                    got.wait();
                }
            }
            System.out.println("got SIGHUP");
        }
    }

    @Test
    @Timeout(60)
    void handle_signalIgnoredAtStart_isRestoredAndHandled() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        String command = "trap '' HUP; exec '" + java + "' --enable-native-access=ALL-UNNAMED -cp '"
                + System.getProperty("java.class.path") + "' '" + HupChild.class.getName() + "'";
        Process child = new ProcessBuilder(List.of("sh", "-c", command)).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("ignored-at-start=true");
            assertThat(nextLineAfterLogs(out)).isEqualTo("ignored-after=false");
            assertThat(nextLineAfterLogs(out)).isEqualTo("handling");
            Processes.kill(child.pid(), Processes.SIGHUP);
            assertThat(nextLineAfterLogs(out)).isEqualTo("got SIGHUP");
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isZero();
        } finally {
            child.destroyForcibly();
        }
    }

    /** Skips the log lines (System.Logger's two-line records on stderr, merged) between the child's own. */
    private static String nextLineAfterLogs(BufferedReader out) throws IOException {
        String line;
        do {
            line = out.readLine();
        } while (line != null && !line.startsWith("ignored-") && !line.equals("handling") && !line.startsWith("got "));
        return line;
    }
}
