package dev.baton.demo;

import dev.baton.BatonOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo server on Spring Boot: baton-spring-sample's executable jar (built by the reactor beside the
 * demo's), run as {@code java -jar} with the demo server's options as Spring properties. That process
 * is the first generation: it, not this one, is upgraded (its pidfile, its control socket under the demo
 * server's name), and its successors start the same command. This process waits for it and exits with
 * its status, as the other demo servers' first generation would.
 *
 * <p>The jar is the system property {@code baton.spring.sample.jar}, or else
 * {@code baton-spring-sample/target/baton-spring-sample.jar} of the checkout the demo's own jar was
 * built in. The demo server's {@code --config} file is read by every generation as Spring properties
 * ({@code sample.warm-up=2s}, {@code sample.fail-on-start=true}).
 */
final class SpringDemo {

    /** How long the demo job waits for the first generation: a Boot application starts slower than the others. */
    static final Duration READY_WAIT = Duration.ofSeconds(180);
    static final String JAR_PROPERTY = "baton.spring.sample.jar";

    private SpringDemo() {}

    static int run(DemoServerOptions options, PrintStream err) throws InterruptedException {
        Path jar;
        try {
            jar = sampleJar();
        } catch (IllegalStateException e) {
            err.println("demo-server: " + e.getMessage());
            return 2;
        }
        try {
            Process first = new ProcessBuilder(command(options, jar)).inheritIO().start();
            return first.waitFor();
        } catch (IOException e) {
            err.println("demo-server: cannot start the Spring Boot sample " + jar + ": " + e.getMessage());
            return 1;
        }
    }

    /** {@code java -jar sample.jar} with the demo server's options as the sample's Spring properties. */
    static List<String> command(DemoServerOptions options, Path jar) {
        BatonOptions baton = options.baton();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--server.port=" + options.port(), "--baton.name=" + baton.name(),
                "--baton.ready-timeout=" + baton.readyTimeout().toMillis() + "ms",
                "--baton.drain-timeout=" + baton.drainTimeout().toMillis() + "ms",
                "--spring.main.banner-mode=off"));
        if (!options.host().isEmpty()) {
            command.add("--server.address=" + options.host());
        }
        baton.pidFileIfSet().ifPresent(pidFile -> command.add("--baton.pidfile=" + pidFile.toAbsolutePath()));
        if (options.config() != null) {
            command.add("--spring.config.additional-location=optional:file:" + options.config().toAbsolutePath());
        }
        switch (options.server()) {
            case SPRING_JETTY -> command.add("--spring.profiles.active=jetty");
            case SPRING_WEBFLUX -> command.add("--spring.profiles.active=webflux");
            default -> { } // Tomcat: the sample's default
        }
        return command;
    }

    /** The sample's jar: the system property, or the one built beside this demo's jar (or classes). */
    static Path sampleJar() {
        String property = System.getProperty(JAR_PROPERTY);
        Path jar = property != null ? Path.of(property) : besideTheDemo();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the Spring Boot sample's jar " + jar + " is missing; build it with"
                    + " `./mvnw -DskipTests package` in the checkout (./baton does), or name it with -D"
                    + JAR_PROPERTY + "=FILE");
        }
        return jar;
    }

    private static Path besideTheDemo() {
        try {
            // baton-demo/target/baton-demo.jar (or baton-demo/target/classes): three levels up is the checkout.
            Path demo = Path.of(SpringDemo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return demo.toAbsolutePath().getParent().getParent().getParent()
                    .resolve("baton-spring-sample/target/baton-spring-sample.jar");
        } catch (URISyntaxException | NullPointerException | SecurityException e) {
            return Path.of("baton-spring-sample/target/baton-spring-sample.jar");
        }
    }
}
