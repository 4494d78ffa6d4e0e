package dev.baton.cli;

import dev.baton.ServiceStatus;
import java.util.List;
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
                + ",\"lastReload\":" + string(status.lastReload()) + "}";
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
