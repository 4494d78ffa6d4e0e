package dev.baton.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.ServiceStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults around the supervisor's upgrade in place, with real processes: a signal sent while the new
 * program image starts is handled by it once it can (not fatal, not lost), and a broken program at
 * the same path is refused by the check before {@code execve}, leaving the supervisor serving.
 */
@Timeout(180)
class SupervisorUpgradeFaultsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path directory;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable closeable : toClose.reversed()) {
            closeable.close();
        }
    }

    @Test
    void sigterm_whileTheNewImageStarts_isHandledByIt_workersDrainAndTheSupervisorExits0() throws Exception {
        SupervisorProcess supervisor = sleepingSupervisor("term-during-exec", Map.of());
        long worker = supervisor.servingWorker();

        CompletableFuture<SupervisorUpgrade.Result> upgrade = upgradeInBackground(supervisor);
        awaitNewImage(supervisor);
        signal("TERM", supervisor.pid());

        assertThat(supervisor.awaitExit(WAIT)).as(supervisor.log()).isZero();
        assertThat(upgrade.get(60, TimeUnit.SECONDS).succeeded()).as(supervisor.log()).isTrue();
        String log = supervisor.log();
        System.out.println(line(log, "signals held across the re-execution"));
        assertThat(log).contains("sent meanwhile, handled now: [SIGTERM]", "upgraded in place in");
        assertThat(ProcessHandle.of(worker).map(ProcessHandle::isAlive).orElse(false)).as("the worker, orphaned?")
                .isFalse();
    }

    @Test
    void sighup_whileTheNewImageStarts_isHandledByIt_aReloadReplacesTheWorker() throws Exception {
        SupervisorProcess supervisor = sleepingSupervisor("hup-during-exec", Map.of());
        long worker = supervisor.servingWorker();

        CompletableFuture<SupervisorUpgrade.Result> upgrade = upgradeInBackground(supervisor);
        awaitNewImage(supervisor);
        signal("HUP", supervisor.pid());

        assertThat(upgrade.get(60, TimeUnit.SECONDS).succeeded()).as(supervisor.log()).isTrue();
        await().atMost(WAIT).until(() -> {
            ServiceStatus status = supervisor.status();
            return status.state() == ServiceStatus.State.SERVING && supervisor.servingWorker() != worker;
        });
        supervisor.remember();
        assertThat(supervisor.process.isAlive()).isTrue();
        assertThat(supervisor.status().pid()).isEqualTo(supervisor.pid());
        assertThat(supervisor.log()).contains("sent meanwhile, handled now: [SIGHUP]");
    }

    @Test
    void upgradeSupervisor_withATruncatedJarAtTheSamePath_refusedByTheCheck_nothingChanges() throws Exception {
        Path jar = truncatedJar();
        Path program = directory.resolve("broken-baton");
        Files.writeString(program, "#!/bin/sh\nexec '" + SupervisorProcess.JAVA + "' -jar '" + jar + "' \"$@\"\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwx------"));
        SupervisorProcess supervisor = sleepingSupervisor("truncated-jar",
                Map.of(SelfExec.PROGRAM_OVERRIDE, program.toString()));
        long worker = supervisor.servingWorker();

        SupervisorUpgrade.Result result = SupervisorUpgrade.request(socket(supervisor), WAIT);

        System.out.println("upgrade with a truncated jar: " + result.message());
        assertThat(result.succeeded()).isFalse();
        assertThat(result.message()).contains("the new program " + program + " failed its check (exit status 1",
                "Invalid or corrupt jarfile", "not re-executing it", "nothing changed",
                "pid " + supervisor.pid() + " goes on serving");
        assertThat(supervisor.log()).doesNotContain("re-executing " + program);
        assertThat(supervisor.process.isAlive()).isTrue();
        assertThat(supervisor.status().state()).isEqualTo(ServiceStatus.State.SERVING);
        assertThat(supervisor.servingWorker()).isEqualTo(worker);
        supervisor.control().stop(false);
        assertThat(supervisor.awaitExit(WAIT)).isZero();
    }

    private SupervisorProcess sleepingSupervisor(String name, Map<String, String> environment) throws Exception {
        return track(SupervisorProcess.start(directory, name, List.of(),
                List.of("listen.http=127.0.0.1:" + SupervisorUnderLoadTest.freePort(), "ready=delay=200ms",
                        "drain-timeout=20s"), List.of("sleep", "600"), environment)).awaitServing();
    }

    /** A jar with a manifest and a class entry, cut in half: what an interrupted copy leaves. */
    private Path truncatedJar() throws Exception {
        Path jar = directory.resolve("baton.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "dev.baton.cli.Main");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry("dev/baton/cli/Main.class"));
            out.write(new byte[4096]);
            out.closeEntry();
        }
        try (FileChannel channel = FileChannel.open(jar, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() / 2);
        }
        return jar;
    }

    private static CompletableFuture<SupervisorUpgrade.Result> upgradeInBackground(SupervisorProcess supervisor) {
        CompletableFuture<SupervisorUpgrade.Result> result = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                result.complete(SupervisorUpgrade.request(socket(supervisor), WAIT));
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** Waits until the supervisor has called execve: its environment (fixed at execve) names the held signals. */
    private static void awaitNewImage(SupervisorProcess supervisor) {
        Path environ = Path.of("/proc/" + supervisor.pid() + "/environ");
        await().atMost(WAIT).pollInterval(Duration.ofMillis(2))
                .until(() -> {
                    if (!supervisor.process.isAlive()) {
                        throw new AssertionError("the supervisor exited:\n" + supervisor.log());
                    }
                    try {
                        return Files.readString(environ, StandardCharsets.ISO_8859_1).contains("BATON_HELD_SIGNALS=");
                    } catch (IOException inTheMiddleOfExecve) { // ESRCH while the kernel replaces the image
                        return false;
                    }
                });
    }

    private static String line(String log, String part) {
        return log.lines().filter(l -> l.contains(part)).findFirst().orElse("(no line with " + part + ")");
    }

    private static void signal(String name, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }

    private static Path socket(SupervisorProcess supervisor) {
        return supervisor.controlDirectory.resolve(supervisor.name + ".sock");
    }

    private <T extends AutoCloseable> T track(T closeable) {
        toClose.add(closeable);
        return closeable;
    }
}
