package dev.baton.demo.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The command line that runs this CLI again in a new JVM: the same java, the JVM flags Baton needs,
 * the same class path. {@code baton demo} starts the demo server with it.
 */
final class SelfCommand {

    static final List<String> JVM_FLAGS =
            List.of("--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");

    private SelfCommand() {}

    static List<String> of(String... arguments) {
        String java = ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + "/bin/java");
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(JVM_FLAGS);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(DemoCli.class.getName());
        command.addAll(List.of(arguments));
        return command;
    }
}
