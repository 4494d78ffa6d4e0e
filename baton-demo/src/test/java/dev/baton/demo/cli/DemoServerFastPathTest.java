package dev.baton.demo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The fast path reads demo-server's arguments exactly as picocli does, or leaves them to picocli. */
class DemoServerFastPathTest {

    static Stream<List<String>> valid() {
        return Stream.of(
                List.of("--port", "8080"),
                List.of("--server=spring-tomcat", "--port", "1"),
                List.of("--port=8081", "--server", "netty", "--netty-transport", "EPOLL", "--host", "", "--config",
                        "/tmp/c.properties", "--pidfile", "/tmp/p.pid", "--name", "shop", "--ready-timeout", "5s",
                        "--drain-timeout", "1500ms", "--warm-up", "7", "--no-warm-up", "--aot-cache", "/tmp/aot",
                        "--metrics", "--shutdown-delay", "2s", "--probation", "0s", "--tls-cert", "/c.pem",
                        "--tls-key", "/k.pem"));
    }

    static Stream<List<String>> leftToPicocli() {
        return Stream.of(List.of(), List.of("--help"), List.of("-h"), List.of("--version"), List.of("--port"),
                List.of("--port", "x"), List.of("--port", "1", "--probation", "5"), List.of("--port", "1", "--port", "2"),
                List.of("--port", "1", "--bogus"), List.of("--port", "1", "--metrics=true"),
                List.of("--port", "1", "--server", "tomcat"), List.of("--port", "1", "--name", "--metrics"),
                List.of("--port", "1", "@/tmp/arguments"), List.of("--port", "1", "--name", "@shop"));
    }

    /** Every {@code @Option} field of {@code command}, by name. */
    private static Map<String, Object> options(DemoServerCommand command) throws IllegalAccessException {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Field field : DemoServerCommand.class.getDeclaredFields()) {
            if (field.isAnnotationPresent(Option.class)) {
                values.put(field.getName(), field.get(command));
            }
        }
        return values;
    }

    private static DemoServerCommand byPicocli(List<String> arguments) {
        CommandLine commandLine = DemoCli.newCommandLine();
        String[] all = Stream.concat(Stream.of("demo-server"), arguments.stream()).toArray(String[]::new);
        commandLine.parseArgs(all);
        return commandLine.getSubcommands().get("demo-server").getCommand();
    }

    @ParameterizedTest
    @MethodSource("valid")
    void parse_whatPicocliReads_readsTheSameIntoEveryOption(List<String> arguments) throws IllegalAccessException {
        DemoServerCommand fast = DemoServerFastPath.parse(arguments.toArray(String[]::new)).orElseThrow();

        assertThat(options(fast)).isEqualTo(options(byPicocli(arguments)));
    }

    @ParameterizedTest
    @MethodSource("leftToPicocli")
    void parse_helpOrWhatPicocliRefuses_isLeftToPicocli(List<String> arguments) {
        assertThat(DemoServerFastPath.parse(arguments.toArray(String[]::new))).as(Arrays.toString(arguments.toArray()))
                .isEmpty();
    }
}
