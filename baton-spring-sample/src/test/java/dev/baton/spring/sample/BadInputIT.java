package dev.baton.spring.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The sample jar started wrongly: it fails at once, with a message that says what to do. */
@Timeout(300)
class BadInputIT {

    @TempDir
    Path directory;

    @Test
    void start_withoutTheJvmFlags_failsNamingTheFlagsAndTheManifestEntries() throws Exception {
        // -cp instead of -jar: the manifest's Add-Opens and Enable-Native-Access apply only to `java -jar`.
        Run run = run(List.of("-cp", SampleApp.jar().toString(), "org.springframework.boot.loader.launch.JarLauncher",
                "--server.port=0"));
        assertThat(run.status()).as(run.output()).isNotZero();
        assertThat(run.output()).contains("APPLICATION FAILED TO START").contains("Baton cannot run in this JVM")
                .contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED").contains("Add-Opens: java.base/sun.nio.ch");
    }

    @Test
    void start_onAPortAlreadyTaken_failsNamingTheListenerAndWhatToDo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run run = run(List.of("-jar", SampleApp.jar().toString(), "--server.address=127.0.0.1",
                    "--server.port=" + taken.getLocalPort()));
            assertThat(run.status()).as(run.output()).isNotZero();
            assertThat(run.output()).contains("APPLICATION FAILED TO START")
                    .contains("Baton cannot listen on http=127.0.0.1:" + taken.getLocalPort())
                    .contains("set server.port to a free port");
        }
    }

    private record Run(int status, String output) {}

    private Run run(List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(arguments);
        command.add("--baton.name=bad-input-" + ProcessHandle.current().pid());
        Path log = directory.resolve("out.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("BATON_CONTROL_DIR", directory.toString());
        Process process = builder.start();
        try {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                throw new AssertionError("the sample did not exit within 120 s: " + java.nio.file.Files.readString(log));
            }
            return new Run(process.exitValue(), java.nio.file.Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
        }
    }
}
