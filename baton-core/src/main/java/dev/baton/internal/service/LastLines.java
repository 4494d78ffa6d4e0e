package dev.baton.internal.service;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** The last lines a process printed on its standard output and error, kept for a failure report. Thread-safe. */
public final class LastLines {

    private final int capacity;
    private final Deque<String> lines = new ArrayDeque<>();

    public LastLines(int capacity) {
        this.capacity = capacity;
    }

    public synchronized void add(String line) {
        lines.addLast(line);
        while (lines.size() > capacity) {
            lines.removeFirst();
        }
    }

    public synchronized List<String> snapshot() {
        return List.copyOf(lines);
    }
}
