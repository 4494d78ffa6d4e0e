package dev.baton;

import dev.baton.internal.service.LastLines;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Copies a starting successor's output stream to this process's own (so nothing it prints is lost)
 * and records its lines in {@link LastLines}. Ends when the successor closes the pipe: it exits, or it
 * is ready and writes to the predecessor's output directly.
 */
final class OutputRelay implements Runnable {

    /**
     * What a reported line keeps (the output itself is copied whole): as much as the supervisor keeps of a
     * worker's line, so that a Spring Boot failure's long lines (a cause, a stack on one line) are not cut.
     */
    private static final int MAX_LINE_CHARS = 8000;

    private final InputStream source;
    private final OutputStream target;
    private final LastLines lines;
    private final StringBuilder partial = new StringBuilder();

    OutputRelay(InputStream source, OutputStream target, LastLines lines) {
        this.source = source;
        this.target = target;
        this.lines = lines;
    }

    @Override
    public void run() {
        byte[] buffer = new byte[8192];
        try (source) {
            int read;
            while ((read = source.read(buffer)) >= 0) {
                writeQuietly(buffer, read);
                collect(new String(buffer, 0, read, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // the pipe broke: the successor is gone, and its exit is reported elsewhere
        }
        if (!partial.isEmpty()) {
            lines.add(partial.toString());
        }
    }

    private void writeQuietly(byte[] buffer, int length) {
        try {
            target.write(buffer, 0, length);
            target.flush();
        } catch (IOException e) {
            // this process's own output is gone; the lines are still kept for the report
        }
    }

    private void collect(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                lines.add(partial.toString());
                partial.setLength(0);
            } else if (c != '\r' && partial.length() < MAX_LINE_CHARS) {
                partial.append(c);
            }
        }
    }
}
