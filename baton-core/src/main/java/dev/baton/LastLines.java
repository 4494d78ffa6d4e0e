package dev.baton;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** The last lines a process printed on its standard output and error, kept for a failure report. Thread-safe. */
final class LastLines {

    private final int capacity;
    private final Deque<String> lines = new ArrayDeque<>();

    LastLines(int capacity) {
        this.capacity = capacity;
    }

    synchronized void add(String line) {
        lines.addLast(line);
        while (lines.size() > capacity) {
            lines.removeFirst();
        }
    }

    synchronized List<String> snapshot() {
        return List.copyOf(lines);
    }
}
