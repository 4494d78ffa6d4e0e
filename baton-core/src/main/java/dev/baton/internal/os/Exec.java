package dev.baton.internal.os;

import static dev.baton.internal.os.LibC.INT;
import static dev.baton.internal.os.LibC.POINTER;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replacing this process's program in place: {@code execve}, which keeps the pid, the children and
 * every descriptor not marked close-on-exec, and what goes with it: this process's command line,
 * marking every other descriptor close-on-exec, and asking whether a pid is still a child of this
 * process (after an {@code execve}, the children are still ours).
 *
 * <p>{@code execve} is called with exactly the signals Baton answers blocked, HUP, INT and TERM also
 * ignored, and the handlers forwarding them to this thread ({@link HeldSignals}: the new program must
 * release them once it handles them); the caller's mask and the signals' actions are restored if
 * {@code execve} fails. Call it from a platform thread: a virtual thread could move to another
 * carrier between the calls.
 */
public final class Exec {

    private static final Path OWN_DESCRIPTORS = Path.of("/proc/self/fd");

    private static final MethodHandle EXECVE =
            LibC.function("execve", FunctionDescriptor.of(INT, POINTER, POINTER, POINTER));

    private Exec() {}

    /** The caller's last step before {@code execve}, run once the signals are held; a failure cancels it. */
    @FunctionalInterface
    public interface Commit {
        void run() throws IOException;
    }

    /**
     * Replaces this process's program with {@code path}, run with {@code arguments} (argv, argv[0]
     * included) and exactly {@code environment} ({@code NAME=value} entries), once {@code commit} has
     * run with the signals held (so one arriving while it runs waits for the new image). Returns only
     * if it failed.
     *
     * @throws IOException what {@code commit} threw, or a SystemCallException naming the path and the errno (ENOENT, EACCES, ENOEXEC, E2BIG, ...);
     *     this process goes on unchanged
     */
    public static void execve(String path, List<String> arguments, List<String> environment, Commit commit)
            throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment program = arena.allocateFrom(path, StandardCharsets.UTF_8);
            MemorySegment argv = Spawn.stringArray(arena, arguments);
            MemorySegment envp = Spawn.stringArray(arena, environment);
            MemorySegment saved = SignalSets.allocate(arena);
            SignalSets.setMask(SignalSets.SIG_SETMASK, HeldSignals.set(arena), saved);
            HeldSignals.forwardToThisThread();
            Map<Integer, MemorySegment> actions = new LinkedHashMap<>();
            try {
                commit.run();
                for (int number : HeldSignals.IGNORED) {
                    actions.put(number, Signals.ignore(arena, number));
                }
                SystemCall.call("execve(" + path + ")", EXECVE, program, argv, envp);
                throw new AssertionError("execve returned without failing");
            } finally {
                for (Map.Entry<Integer, MemorySegment> action : actions.entrySet()) {
                    Signals.restore(action.getKey(), action.getValue());
                }
                HeldSignals.endForwarding(); // then what was forwarded here arrives as the mask is restored
                SignalSets.setMask(SignalSets.SIG_SETMASK, saved, MemorySegment.NULL);
            }
        }
    }

    /** The descriptors this process has open now, from {@code /proc/self/fd}, in no particular order. */
    public static List<Integer> openDescriptors() throws IOException {
        List<Integer> fds = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(OWN_DESCRIPTORS)) {
            for (Path entry : entries) {
                fds.add(Integer.parseInt(entry.getFileName().toString()));
            }
        }
        return fds;
    }

    /**
     * Marks every open descriptor of this process close-on-exec, except 0, 1, 2 and {@code keep}, so
     * that an {@code execve} carries nothing else into the new program.
     *
     * @return the descriptors this changed (they were inheritable), for {@link #makeInheritable} to undo
     */
    public static int[] closeOnExecAllExcept(Set<Integer> keep) throws IOException {
        List<Integer> changed = new ArrayList<>();
        for (int fd : openDescriptors()) {
            if (fd <= 2 || keep.contains(fd)) {
                continue;
            }
            try {
                if (!Descriptors.isCloseOnExec(fd)) {
                    Descriptors.setCloseOnExec(fd, true);
                    changed.add(fd);
                }
            } catch (SystemCallException e) {
                if (e.errno() != Errno.EBADF) { // closed meanwhile (such as the directory stream read above)
                    throw e;
                }
            }
        }
        return changed.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Clears close-on-exec on {@code fds} again, where they are still open; returns how many failed. */
    public static int makeInheritable(int[] fds) {
        int failed = 0;
        for (int fd : fds) {
            try {
                Descriptors.setCloseOnExec(fd, false);
            } catch (SystemCallException e) {
                failed++;
            }
        }
        return failed;
    }

    /** What a descriptor of this process is, as {@code /proc/self/fd} shows it: {@code pipe:[123]}, .... */
    public static String describeDescriptor(int fd) throws IOException {
        return Files.readSymbolicLink(OWN_DESCRIPTORS.resolve(Integer.toString(fd))).toString();
    }
}
