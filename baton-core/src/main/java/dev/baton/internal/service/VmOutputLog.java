package dev.baton.internal.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM's own output (what HotSpot prints on its "tty": "Error occurred during initialization of VM", its
 * warnings) kept in a file, for a JVM whose tty Baton silences: a generation recording the AOT cache runs
 * with {@code -XX:-DisplayVMOutput}, or it would print "AOTConfiguration recorded" as it exits, which no
 * {@code -Xlog} option silences; without this file a recorder that fails to start would fail without a word.
 *
 * <p>The file is HotSpot's log ({@code -XX:+LogVMOutput -XX:LogFile=}): XML, whose {@code <tty>} element
 * holds the text. Read with a few string operations: the format is HotSpot's own and small, and an XML
 * parser would fail on the unfinished file of a JVM that died mid-write, where the lines are still wanted.
 */
final class VmOutputLog {

    /** At most this many of the last lines are reported. */
    private static final int MAX_LINES = 20;

    private VmOutputLog() {}

    /** The JVM options that keep the tty in {@code file}; they need {@code -XX:+UnlockDiagnosticVMOptions} before them. */
    static List<String> flags(Path file) {
        return List.of("-XX:+LogVMOutput", "-XX:LogFile=" + file);
    }

    /** The text lines of the tty in {@code file} (the last {@value #MAX_LINES}), or none if there is no such file. */
    static List<String> ttyLines(Path file) {
        String log;
        try {
            log = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
        int start = log.indexOf("<tty>");
        if (start < 0) {
            return List.of();
        }
        int end = log.indexOf("</tty>", start);
        String tty = log.substring(start + "<tty>".length(), end < 0 ? log.length() : end);
        List<String> lines = new ArrayList<>();
        for (String line : tty.split("\n")) {
            String text = line.strip();
            if (!text.isEmpty() && !(text.startsWith("<") && text.endsWith("/>"))) { // <writer .../>, <tty_done .../>
                lines.add(unescape(text));
            }
        }
        return List.copyOf(lines.subList(Math.max(0, lines.size() - MAX_LINES), lines.size()));
    }

    private static String unescape(String text) {
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                .replace("&amp;", "&");
    }
}
