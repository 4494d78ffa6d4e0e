package dev.baton.internal.os;

import static dev.baton.internal.os.LibC.INT;
import static dev.baton.internal.os.LibC.POINTER;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a child process with {@code posix_spawn}, giving it exactly the descriptors asked for:
 * what {@code ProcessBuilder} cannot do, since it closes every descriptor above 2 in the child.
 *
 * <p>The child gets {@code fds[i]} of this process as its descriptor {@code i}, and nothing else: the
 * file actions are {@code dup2} for each, then {@code posix_spawn_file_actions_addclosefrom_np(n)}
 * (glibc 2.34 or newer) so no other descriptor of this process leaks, whatever its close-on-exec
 * flag. The sources are first duplicated to numbers at or above {@code n}, so a source never
 * collides with a target. Signal dispositions are reset to their defaults and the signal mask
 * emptied, since the JVM's threads may block or ignore signals a program expects to receive; the
 * child gets a process group of its own, so a terminal's Ctrl-C reaches only this process, which
 * then stops the child in its own order.
 *
 * <p>glibc runs {@code posix_spawn} with {@code clone(CLONE_VM | CLONE_VFORK)}, which is safe in a
 * multi-threaded JVM. Unlike most C calls, the posix_spawn family returns the error number instead
 * of setting errno.
 */
@SuppressWarnings("restricted") // linking C functions
public final class Spawn {

    /** In {@link #spawn}'s {@code fds}: open /dev/null (read and write) at this number in the child. */
    public static final int NULL_DEVICE = -1;

    private static final int POSIX_SPAWN_SETPGROUP = 0x02;
    private static final int POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final int POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final int O_RDWR = 2;

    // glibc x86-64/aarch64: posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336;
    // allocated larger, which is harmless, so a slightly different layout cannot overrun.
    private static final long FILE_ACTIONS_SIZE = 256;
    private static final long ATTRIBUTES_SIZE = 512;


    private static final MethodHandle SPAWN = plain("posix_spawn",
            FunctionDescriptor.of(INT, POINTER, POINTER, POINTER, POINTER, POINTER, POINTER));
    private static final MethodHandle ACTIONS_INIT = plain("posix_spawn_file_actions_init",
            FunctionDescriptor.of(INT, POINTER));
    private static final MethodHandle ACTIONS_DESTROY = plain("posix_spawn_file_actions_destroy",
            FunctionDescriptor.of(INT, POINTER));
    private static final MethodHandle ACTIONS_DUP2 = plain("posix_spawn_file_actions_adddup2",
            FunctionDescriptor.of(INT, POINTER, INT, INT));
    private static final MethodHandle ACTIONS_OPEN = plain("posix_spawn_file_actions_addopen",
            FunctionDescriptor.of(INT, POINTER, INT, POINTER, INT, INT));
    private static final MethodHandle ACTIONS_CLOSEFROM = plain("posix_spawn_file_actions_addclosefrom_np",
            FunctionDescriptor.of(INT, POINTER, INT));
    private static final MethodHandle ATTR_INIT = plain("posix_spawnattr_init", FunctionDescriptor.of(INT, POINTER));
    private static final MethodHandle ATTR_DESTROY = plain("posix_spawnattr_destroy",
            FunctionDescriptor.of(INT, POINTER));
    private static final MethodHandle ATTR_SETFLAGS = plain("posix_spawnattr_setflags",
            FunctionDescriptor.of(INT, POINTER, LibC.SHORT));
    private static final MethodHandle ATTR_SETPGROUP = plain("posix_spawnattr_setpgroup",
            FunctionDescriptor.of(INT, POINTER, INT));
    private static final MethodHandle ATTR_SETSIGDEFAULT = plain("posix_spawnattr_setsigdefault",
            FunctionDescriptor.of(INT, POINTER, POINTER));
    private static final MethodHandle ATTR_SETSIGMASK = plain("posix_spawnattr_setsigmask",
            FunctionDescriptor.of(INT, POINTER, POINTER));

    private Spawn() {}

    /**
     * Starts {@code path} with {@code arguments} (argv, including argv[0]) and exactly
     * {@code environment} ({@code NAME=value} entries).
     *
     * @param fds {@code fds[i]} becomes descriptor {@code i} of the child ({@link #NULL_DEVICE} for
     *     /dev/null); every other descriptor is closed in the child
     * @return the child's pid
     * @throws SystemCallException naming the call that failed; nothing was started then
     */
    public static long spawn(String path, List<String> arguments, List<String> environment, int[] fds)
            throws SystemCallException {
        return spawn(path, arguments, environment, fds, Mode.DETACHED);
    }

    /** How a child relates to this process, beyond its descriptors. */
    public enum Mode {
        /** In a process group of its own, every signal's disposition the default (the supervisor's workers). */
        DETACHED,
        /**
         * In this process's group, where a terminal's Ctrl-C reaches it too, with the signals this process
         * ignores still ignored (nohup's SIGHUP): as a {@code ProcessBuilder} child starts.
         */
        ATTACHED
    }

    /** Starts {@code path} as {@link #spawn(String, List, List, int[])} does, related to this process as {@code mode} says. */
    public static long spawn(String path, List<String> arguments, List<String> environment, int[] fds, Mode mode)
            throws SystemCallException {
        int count = fds.length;
        List<Integer> duplicates = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            for (int fd : fds) {
                duplicates.add(fd == NULL_DEVICE ? NULL_DEVICE : Descriptors.duplicate(fd, count));
            }
            MemorySegment actions = arena.allocate(FILE_ACTIONS_SIZE, 16);
            check("posix_spawn_file_actions_init", invoke(ACTIONS_INIT, actions));
            MemorySegment attributes = arena.allocate(ATTRIBUTES_SIZE, 16);
            try {
                check("posix_spawnattr_init", invoke(ATTR_INIT, attributes));
                try {
                    MemorySegment devNull = arena.allocateFrom("/dev/null");
                    for (int target = 0; target < count; target++) {
                        int source = duplicates.get(target);
                        if (source == NULL_DEVICE) {
                            check("posix_spawn_file_actions_addopen(/dev/null, fd " + target + ")",
                                    invoke(ACTIONS_OPEN, actions, target, devNull, O_RDWR, 0));
                        } else {
                            check("posix_spawn_file_actions_adddup2(fd " + source + ", fd " + target + ")",
                                    invoke(ACTIONS_DUP2, actions, source, target));
                        }
                    }
                    check("posix_spawn_file_actions_addclosefrom_np(" + count + ")",
                            invoke(ACTIONS_CLOSEFROM, actions, count));
                    MemorySegment all = SignalSets.full(arena);
                    MemorySegment none = SignalSets.of(arena, List.of());
                    check("posix_spawnattr_setsigdefault", invoke(ATTR_SETSIGDEFAULT, attributes, all));
                    check("posix_spawnattr_setsigmask", invoke(ATTR_SETSIGMASK, attributes, none));
                    short flags = POSIX_SPAWN_SETSIGMASK;
                    if (mode == Mode.DETACHED) {
                        check("posix_spawnattr_setpgroup", invoke(ATTR_SETPGROUP, attributes, 0));
                        flags |= POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF;
                    }
                    check("posix_spawnattr_setflags", invoke(ATTR_SETFLAGS, attributes, flags));
                    MemorySegment pid = arena.allocate(INT);
                    check("posix_spawn(" + path + ")", invoke(SPAWN, pid, arena.allocateFrom(path), actions,
                            attributes, stringArray(arena, arguments), stringArray(arena, environment)));
                    return pid.get(INT, 0);
                } finally {
                    invoke(ATTR_DESTROY, attributes);
                }
            } finally {
                invoke(ACTIONS_DESTROY, actions);
            }
        } finally {
            for (int duplicate : duplicates) {
                if (duplicate != NULL_DEVICE) {
                    Descriptors.closeQuietly(duplicate);
                }
            }
        }
    }

    /** A NULL-terminated {@code char *[]} of NUL-terminated UTF-8 strings, allocated in {@code arena}. */
    static MemorySegment stringArray(Arena arena, List<String> strings) {
        MemorySegment array = arena.allocate(POINTER, strings.size() + 1L);
        for (int i = 0; i < strings.size(); i++) {
            array.setAtIndex(POINTER, i, arena.allocateFrom(strings.get(i), StandardCharsets.UTF_8));
        }
        array.setAtIndex(POINTER, strings.size(), MemorySegment.NULL);
        return array;
    }

    private static void check(String call, int result) throws SystemCallException {
        if (result != 0) {
            throw new SystemCallException(call, result);
        }
    }

    private static int invoke(MethodHandle handle, Object... arguments) {
        try {
            return (int) handle.invokeWithArguments(arguments);
        } catch (Throwable t) {
            throw LibC.unexpected(t);
        }
    }

    /** posix_spawn's functions return their error instead of setting errno: linked without capturing it. */
    private static MethodHandle plain(String name, FunctionDescriptor descriptor) {
        return LibC.infallibleFunction(name, descriptor);
    }
}
