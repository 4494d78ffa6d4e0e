package dev.baton.internal.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes: the nice of every thread as {@code /proc/<pid>/task/<tid>/stat} shows it. */
class CpuPriorityTest {

    private static final String JAVA = ProcessHandle.current().info().command().orElseThrow();

    @TempDir
    Path directory;

    @Test
    void spawnAt_aJvmStartedAtNice10_everyThreadAt10_andThisProcessUnchanged() throws Exception {
        int before = CpuPriority.niceOfThisProcess();
        // a JVM that says it is up and sleeps: by then its compiler, GC and other threads all run
        Path program = Files.writeString(directory.resolve("Up.java"),
                "class Up { public static void main(String[] a) throws Exception { System.out.println(\"up\");"
                + " Thread.sleep(120_000); } }");
        Process child = CpuPriority.spawnAt(10, () -> new ProcessBuilder(JAVA, program.toString()).start());
        try {
            assertThat(new BufferedReader(new InputStreamReader(child.getInputStream())).readLine()).isEqualTo("up");
            List<Integer> nices = nicesOf(child.pid());
            assertThat(nices).hasSizeGreaterThan(1).containsOnly(10);
            assertThat(CpuPriority.niceOfThisProcess()).isEqualTo(before);
            assertThat(CpuPriority.niceOf(ProcessHandle.current().pid(), CpuPriority.currentThreadId()))
                    .isEqualTo(before);
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void setAllThreads_backTo0_whereTheKernelPermits_elseAccessDenied() throws Exception {
        Process child = CpuPriority.spawnAt(10, () -> new ProcessBuilder("sleep", "60").start());
        try {
            if (CpuPriority.canLowerTo(0)) {
                assertThat(CpuPriority.setAllThreads(child.pid(), 0)).isEqualTo(1);
                assertThat(nicesOf(child.pid())).containsOnly(0);
            } else {
                assertThatThrownBy(() -> CpuPriority.setAllThreads(child.pid(), 0))
                        .isInstanceOf(SystemCallException.AccessDenied.class);
                assertThat(CpuPriority.whyNotLowerTo(0)).contains("RLIMIT_NICE", "LimitNICE=+0");
            }
            assertThat(CpuPriority.setAllThreads(child.pid(), 12)).as("raising is always allowed").isEqualTo(1);
            assertThat(nicesOf(child.pid())).containsOnly(12);
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void canLowerTo_inAUserNamespace_noAlthoughCapEffShowsCapSysNice() throws Exception {
        Path program = Files.writeString(directory.resolve("Probe.java"),
                "class Probe { public static void main(String[] a) {"
                + " System.out.println(dev.baton.internal.os.CpuPriority.canLowerTo(0) + \" \""
                + " + dev.baton.internal.os.CpuPriority.whyNotLowerTo(0)); } }");
        String classes = Path.of(CpuPriority.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        Process probe;
        try {
            probe = new ProcessBuilder("unshare", "--user", "--map-root-user", JAVA, "--enable-native-access=ALL-UNNAMED",
                    "-cp", classes, program.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("no unshare here: " + e.getMessage());
            return;
        }
        String output;
        try {
            output = new String(probe.getInputStream().readAllBytes()).strip();
            assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            probe.destroyForcibly(); // ended whatever failed
        }
        Assumptions.assumeTrue(probe.exitValue() == 0 || !output.contains("unshare:"),
                "user namespaces are not permitted here: " + output);

        assertThat(output).as("a root whose capabilities the kernel does not honour").startsWith("false ")
                .contains("does not reach the kernel (a user namespace");
    }

    private static List<Integer> nicesOf(long pid) throws IOException {
        List<Integer> nices = new ArrayList<>();
        for (long tid : CpuPriority.threadsOf(pid)) {
            nices.add(CpuPriority.niceOf(pid, tid));
        }
        return nices;
    }
}
