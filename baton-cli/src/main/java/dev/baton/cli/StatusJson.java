package dev.baton.cli;

import dev.baton.ServiceStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code baton status --json}: one small, fixed document. Written by hand: it is a dozen fields, and a
 * JSON library would be the CLI's largest dependency for it.
 */
final class StatusJson {

    private StatusJson() {}

    static String render(ServiceStatus status) {
        String processes = status.processes().stream()
                .map(p -> "{\"pid\":" + p.pid() + ",\"generation\":" + p.generation() + ",\"state\":"
                        + string(p.state().toString()) + ",\"started\":" + string(p.started().toString()) + "}")
                .collect(Collectors.joining(",", "[", "]"));
        return "{\"pid\":" + status.pid()
                + ",\"name\":" + string(status.name())
                + ",\"mode\":" + string(status.mode().toString())
                + ",\"state\":" + string(status.state().toString())
                + ",\"listeners\":" + strings(status.listeners())
                + ",\"processes\":" + processes
                + ",\"lastReload\":" + string(status.lastReload())
                + ",\"figures\":" + figures(status.figures()) + "}";
    }

    /** The figures; a duration in milliseconds, {@code null} until there is one. */
    private static String figures(ServiceStatus.Figures figures) {
        return "{\"upgradesSucceeded\":" + figures.upgradesSucceeded()
                + ",\"upgradesFailed\":" + figures.upgradesFailed()
                + ",\"upgradesRefused\":" + figures.upgradesRefused()
                + ",\"lastTimeToReadyMillis\":" + millis(figures.lastTimeToReady())
                + ",\"lastDrainMillis\":" + millis(figures.lastDrain())
                + ",\"hammered\":" + figures.hammered()
                + ",\"generationsDraining\":" + figures.generationsDraining() + "}";
    }

    private static String millis(Optional<Duration> duration) {
        return duration.map(d -> Long.toString(d.toMillis())).orElse("null");
    }

    private static String strings(List<String> values) {
        return values.stream().map(StatusJson::string).collect(Collectors.joining(",", "[", "]"));
    }

    static String string(String value) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"').toString();
    }
}
