package dev.baton.supervisor;

import dev.baton.internal.os.Descriptors;
import dev.baton.internal.os.Pipes;
import dev.baton.internal.os.SystemCallException;
import dev.baton.internal.service.LastLines;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A worker's standard output and error: read from two pipes, one thread each, and written to the
 * supervisor's own with every line prefixed ({@code [worker 2 pid 4711] }), so a journal shows who said
 * what. The last lines are kept for a failure report. Each thread owns its pipe's read end and closes
 * it at end of file (when the worker and whatever it started have closed their ends).
 */
final class WorkerOutput {

    private static final int KEPT_LINES = 20;
    /** The longest line relayed; the rest of a longer one is dropped, and the line says how much. */
    static final int MAX_LINE_BYTES = 8000;

    private final String prefix;
    private final LastLines lastLines = new LastLines(KEPT_LINES);
    private final Thread stdout;
    private final Thread stderr;
    private final int[] fds; // guarded by itself; -1 once its relay closed it

    /**
     * Relays the pipes' read ends {@code stdoutFd} and {@code stderrFd}, which it now owns; -1 for a
     * stream that has none (a worker carried across an upgrade in place after its end of file).
     */
    WorkerOutput(String prefix, int stdoutFd, int stderrFd, PrintStream out, PrintStream err) {
        this.prefix = prefix;
        this.fds = new int[] {stdoutFd, stderrFd};
        this.stdout = stdoutFd < 0 ? null : Thread.ofPlatform().daemon().name("baton-output-" + prefix.strip())
                .start(() -> relay(0, out));
        this.stderr = stderrFd < 0 ? null : Thread.ofPlatform().daemon().name("baton-errors-" + prefix.strip())
                .start(() -> relay(1, err));
    }

    /**
     * Duplicates of the two read ends (close-on-exec, owned by the caller), or -1 for one its relay has
     * already closed at end of file: what an upgrade in place carries into the new program image.
     */
    int[] duplicateForCarry() throws SystemCallException {
        synchronized (fds) {
            int[] copies = {-1, -1};
            try {
                for (int i = 0; i < 2; i++) {
                    copies[i] = fds[i] < 0 ? -1 : Descriptors.duplicate(fds[i], 3);
                }
            } catch (SystemCallException e) {
                for (int copy : copies) {
                    if (copy >= 0) {
                        Descriptors.closeQuietly(copy);
                    }
                }
                throw e;
            }
            return copies;
        }
    }

    private void relay(int stream, PrintStream target) {
        int fd = fds[stream];
        byte[] buffer = new byte[8192];
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        long cut = 0; // bytes of the current line past MAX_LINE_BYTES, dropped
        try {
            int read;
            while ((read = Pipes.read(fd, buffer)) > 0) {
                for (int i = 0; i < read; i++) {
                    byte b = buffer[i];
                    if (b == '\n') {
                        emit(line, cut, target);
                        cut = 0;
                    } else if (line.size() < MAX_LINE_BYTES) {
                        line.write(b);
                    } else {
                        cut++;
                    }
                }
            }
        } catch (SystemCallException e) {
            target.println(prefix + "(output lost: " + e.getMessage() + ")");
        } finally {
            if (line.size() > 0 || cut > 0) {
                emit(line, cut, target);
            }
            synchronized (fds) {
                Descriptors.closeQuietly(fd);
                fds[stream] = -1;
            }
        }
    }

    private void emit(ByteArrayOutputStream bytes, long cut, PrintStream target) {
        String text = bytes.toString(StandardCharsets.UTF_8);
        bytes.reset();
        if (text.endsWith("\r") && cut == 0) {
            text = text.substring(0, text.length() - 1);
        }
        String line = escape(text) + (cut == 0 ? "" : "... (" + cut + " more bytes of this line cut)");
        target.println(prefix + line);
        lastLines.add(line);
    }

    /**
     * {@code text} with every control character but tab written as {@code \xHH} (ESC, NUL, CR, DEL and
     * the C1 controls), so a worker cannot move the cursor, recolour or clear a terminal that shows the
     * log, or cut a journal's line; other text, including backslashes, is left as it is.
     */
    static String escape(String text) {
        StringBuilder escaped = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = (c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f);
            if (control && escaped == null) {
                escaped = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (escaped != null) {
                if (control) {
                    escaped.append(String.format(Locale.ROOT, "\\x%02X", (int) c));
                } else {
                    escaped.append(c);
                }
            }
        }
        return escaped == null ? text : escaped.toString();
    }

    /** The last lines, once the relays have read what the worker wrote (waiting at most {@code wait}). */
    List<String> lastLines(Duration wait) {
        try {
            if (stdout != null) {
                stdout.join(wait);
            }
            if (stderr != null) {
                stderr.join(wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return lastLines.snapshot();
    }
}
