package dev.baton.supervisor;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a supervisor carries across its own {@code execve}: the descriptors it keeps (by number, in
 * the same process), its workers and its counters, written into one environment variable,
 * {@value #VARIABLE}, as a small versioned text.
 *
 * <p>Form: {@code baton-supervisor-state/1} then space-separated {@code key=value} fields:
 * {@code pid}, {@code upgrade-started} (epoch ms), {@code trigger}, {@code next-generation},
 * {@code backoff-ms}, {@code last-reload}, {@code control-fd}, {@code reply-fd} (-1 for none), one
 * {@code listener=NAME,ADDRESS,FD,UNIXPATH,ACTIVATED} per listener and one
 * {@code worker=PID,GENERATION,STATE,STARTED,SERVED-MS,DRAIN-DEADLINE,STDOUT-FD,STDERR-FD,NOTIFY-FD,NOTIFY-PATH,KILLED}
 * per worker. Free text (addresses, paths, messages) is base64url, {@code ~} for none; a missing
 * stream is fd -1.
 *
 * <p>The variable is untrusted input: {@link #parse} refuses anything malformed, out of range,
 * duplicated, unknown or written for another pid, naming what is wrong.
 */
record SupervisorState(long pid, long upgradeStartedEpochMillis, String trigger, int nextGeneration,
        long backoffMillis, String lastReload, int controlFd, int replyFd, List<Listener> listeners,
        List<CarriedWorker> workers) {

    /** The environment variable that carries the state into the new program image. */
    static final String VARIABLE = "BATON_SUPERVISOR_STATE";
    static final String HEADER = "baton-supervisor-state/1";
    static final int MAX_CHARS = 96 * 1024;
    static final int MAX_LISTENERS = 64;
    static final int MAX_WORKERS = 256;
    static final int MAX_FD = 1 << 20;
    private static final Pattern LISTENER_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]{1,19}");
    private static final Set<String> WORKER_STATES = Set.of("serving", "draining", "stopping");
    private static final List<String> SINGLE_KEYS = List.of("pid", "upgrade-started", "trigger", "next-generation",
            "backoff-ms", "last-reload", "control-fd", "reply-fd");

    /** A listening socket, kept at descriptor {@code fd}. */
    record Listener(String name, String address, int fd, String unixPath, boolean activated) {}

    /**
     * A worker carried across.
     *
     * @param servedMillis how long it had served (for the restart backoff)
     * @param drainDeadlineEpochMillis when it gets SIGKILL if it still drains, or 0
     * @param stdoutFd its standard output's read end, or -1 if already at end of file
     * @param notifyFd its notify socket, or -1
     */
    record CarriedWorker(long pid, int generation, String state, long startedEpochMillis, long servedMillis,
            long drainDeadlineEpochMillis, int stdoutFd, int stderrFd, int notifyFd, String notifyPath,
            boolean killed) {}

    SupervisorState {
        listeners = List.copyOf(listeners);
        workers = List.copyOf(workers);
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(lastReload, "lastReload");
    }

    /** Every descriptor the state names, in order: control, reply, listeners, worker streams and sockets. */
    List<Integer> descriptors() {
        List<Integer> fds = new ArrayList<>();
        fds.add(controlFd);
        if (replyFd >= 0) {
            fds.add(replyFd);
        }
        listeners.forEach(l -> fds.add(l.fd()));
        for (CarriedWorker w : workers) {
            for (int fd : new int[] {w.stdoutFd(), w.stderrFd(), w.notifyFd()}) {
                if (fd >= 0) {
                    fds.add(fd);
                }
            }
        }
        return fds;
    }

    String encode() {
        StringBuilder text = new StringBuilder(HEADER);
        text.append(" pid=").append(pid)
                .append(" upgrade-started=").append(upgradeStartedEpochMillis)
                .append(" trigger=").append(text(trigger))
                .append(" next-generation=").append(nextGeneration)
                .append(" backoff-ms=").append(backoffMillis)
                .append(" last-reload=").append(text(lastReload))
                .append(" control-fd=").append(controlFd)
                .append(" reply-fd=").append(replyFd);
        for (Listener l : listeners) {
            text.append(" listener=").append(String.join(",", l.name(), text(l.address()), Integer.toString(l.fd()),
                    text(l.unixPath()), l.activated() ? "1" : "0"));
        }
        for (CarriedWorker w : workers) {
            text.append(" worker=").append(String.join(",", Long.toString(w.pid()), Integer.toString(w.generation()),
                    w.state(), Long.toString(w.startedEpochMillis()), Long.toString(w.servedMillis()),
                    Long.toString(w.drainDeadlineEpochMillis()), Integer.toString(w.stdoutFd()),
                    Integer.toString(w.stderrFd()), Integer.toString(w.notifyFd()), text(w.notifyPath()),
                    w.killed() ? "1" : "0"));
        }
        return text.toString();
    }

    /**
     * Reads a state written by {@link #encode} for this process.
     *
     * @param ownPid this process's pid: a state written for another is refused
     * @throws IllegalArgumentException saying what is wrong with it
     */
    static SupervisorState parse(String value, long ownPid) {
        if (value.length() > MAX_CHARS) {
            throw invalid("it is " + value.length() + " characters long, more than " + MAX_CHARS);
        }
        String[] tokens = value.split(" ", -1);
        if (!tokens[0].equals(HEADER)) {
            throw invalid("it does not start with '" + HEADER + "'" + (tokens[0].startsWith("baton-supervisor-state/")
                    ? " (written by another version of Baton, which this one cannot read)" : ""));
        }
        Map<String, String> single = new HashMap<>();
        List<String> listenerFields = new ArrayList<>();
        List<String> workerFields = new ArrayList<>();
        for (int i = 1; i < tokens.length; i++) {
            String token = tokens[i];
            int equals = token.indexOf('=');
            if (equals <= 0) {
                throw invalid("field " + i + " is not KEY=VALUE");
            }
            String key = token.substring(0, equals);
            String field = token.substring(equals + 1);
            switch (key) {
                case "listener" -> listenerFields.add(field);
                case "worker" -> workerFields.add(field);
                default -> {
                    if (!SINGLE_KEYS.contains(key)) {
                        throw invalid("unknown field '" + clip(key) + "'");
                    }
                    if (single.put(key, field) != null) {
                        throw invalid("field '" + key + "' appears twice");
                    }
                }
            }
        }
        for (String key : SINGLE_KEYS) {
            if (!single.containsKey(key)) {
                throw invalid("field '" + key + "' is missing");
            }
        }
        long pid = number(single.get("pid"), "pid", 1, Integer.MAX_VALUE);
        if (pid != ownPid) {
            throw invalid("it was written for pid " + pid + ", and this is pid " + ownPid
                    + ": it is left over from another supervisor; unset " + VARIABLE);
        }
        long started = number(single.get("upgrade-started"), "upgrade-started", 0, Long.MAX_VALUE);
        String trigger = text(single.get("trigger"), "trigger", false);
        int next = (int) number(single.get("next-generation"), "next-generation", 1, Integer.MAX_VALUE);
        long backoff = number(single.get("backoff-ms"), "backoff-ms", 0, 3_600_000);
        String last = text(single.get("last-reload"), "last-reload", false);
        int control = fd(single.get("control-fd"), "control-fd", false);
        int reply = fd(single.get("reply-fd"), "reply-fd", true);
        if (listenerFields.isEmpty() || listenerFields.size() > MAX_LISTENERS) {
            throw invalid(listenerFields.size() + " listeners; expected 1 to " + MAX_LISTENERS);
        }
        if (workerFields.size() > MAX_WORKERS) {
            throw invalid(workerFields.size() + " workers; at most " + MAX_WORKERS);
        }
        List<Listener> listeners = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String field : listenerFields) {
            String[] parts = parts(field, 5, "listener");
            if (!LISTENER_NAME.matcher(parts[0]).matches()) {
                throw invalid("listener name '" + clip(parts[0]) + "' is not 1 to 64 letters, digits, '.', '_', '-'");
            }
            if (!names.add(parts[0])) {
                throw invalid("listener '" + parts[0] + "' appears twice");
            }
            listeners.add(new Listener(parts[0], text(parts[1], "listener address", false),
                    fd(parts[2], "listener fd", false), text(parts[3], "listener path", true),
                    flag(parts[4], "listener activated")));
        }
        List<CarriedWorker> workers = new ArrayList<>();
        Set<Long> pids = new HashSet<>();
        Set<Integer> generations = new HashSet<>();
        int serving = 0;
        for (String field : workerFields) {
            String[] p = parts(field, 11, "worker");
            long workerPid = number(p[0], "worker pid", 2, Integer.MAX_VALUE);
            int generation = (int) number(p[1], "worker generation", 1, next - 1L);
            String state = p[2];
            if (!WORKER_STATES.contains(state)) {
                throw invalid("worker state '" + clip(state) + "' is not one of " + WORKER_STATES);
            }
            if (!pids.add(workerPid) || workerPid == pid) {
                throw invalid("worker pid " + workerPid + " appears twice or is the supervisor's");
            }
            if (!generations.add(generation)) {
                throw invalid("worker generation " + generation + " appears twice");
            }
            if (state.equals("serving")) {
                serving++;
            }
            int notifyFd = fd(p[8], "worker notify fd", true);
            String notifyPath = text(p[9], "worker notify path", true);
            if ((notifyFd >= 0) != (notifyPath != null)) {
                throw invalid("worker " + generation + " has a notify fd without a path, or a path without an fd");
            }
            workers.add(new CarriedWorker(workerPid, generation, state,
                    number(p[3], "worker start time", 0, Long.MAX_VALUE),
                    number(p[4], "worker served time", 0, Long.MAX_VALUE),
                    number(p[5], "worker drain deadline", 0, Long.MAX_VALUE),
                    fd(p[6], "worker stdout fd", true), fd(p[7], "worker stderr fd", true), notifyFd, notifyPath,
                    flag(p[10], "worker killed")));
        }
        if (serving > 1) {
            throw invalid(serving + " workers are serving; at most one may");
        }
        SupervisorState state = new SupervisorState(pid, started, trigger, next, backoff, last, control, reply,
                listeners, workers);
        List<Integer> fds = state.descriptors();
        if (new HashSet<>(fds).size() != fds.size()) {
            throw invalid("a descriptor is named twice");
        }
        return state;
    }

    private static IllegalArgumentException invalid(String why) {
        return new IllegalArgumentException(VARIABLE + " is invalid: " + why);
    }

    private static String clip(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    private static String[] parts(String field, int count, String what) {
        String[] parts = field.split(",", -1);
        if (parts.length != count) {
            throw invalid("a " + what + " has " + parts.length + " parts, not " + count);
        }
        return parts;
    }

    private static long number(String text, String what, long min, long max) {
        if (!NUMBER.matcher(text).matches()) {
            throw invalid(what + " '" + clip(text) + "' is not a number");
        }
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw invalid(what + " '" + clip(text) + "' is out of range");
        }
        if (value < min || value > max) {
            throw invalid(what + " " + value + " is outside " + min + " to " + max);
        }
        return value;
    }

    private static int fd(String text, String what, boolean optional) {
        if (optional && text.equals("-1")) {
            return -1;
        }
        return (int) number(text, what, 3, MAX_FD);
    }

    private static boolean flag(String text, String what) {
        return switch (text) {
            case "0" -> false;
            case "1" -> true;
            default -> throw invalid(what + " '" + clip(text) + "' is not 0 or 1");
        };
    }

    private static String text(String value) {
        return value == null ? "~" : Base64.getUrlEncoder().withoutPadding()
                .encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(String encoded, String what, boolean optional) {
        if (encoded.equals("~")) {
            if (optional) {
                return null;
            }
            throw invalid(what + " is missing");
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw invalid(what + " is not base64url: " + e.getMessage());
        }
        try {
            String decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes))
                    .toString();
            if (decoded.chars().anyMatch(c -> c == 0)) {
                throw invalid(what + " contains a NUL character");
            }
            return decoded;
        } catch (CharacterCodingException e) {
            throw invalid(what + " is not UTF-8");
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "state of pid %d: %d listeners, %d workers", pid, listeners.size(),
                workers.size());
    }
}
