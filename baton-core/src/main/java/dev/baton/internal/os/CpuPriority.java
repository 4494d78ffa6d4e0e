package dev.baton.internal.os;

import static dev.baton.internal.os.LibC.INT;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Nice values, per thread: on Linux {@code setpriority(PRIO_PROCESS, tid, n)} changes one thread, a new
 * thread takes its creator's, and a child process its spawning thread's. So a child spawned by a thread
 * whose nice is raised starts with every one of its threads at that nice (the JVM's own threads included,
 * which a change made after it started would miss), and putting a process back means every thread in
 * {@code /proc/<pid>/task}.
 *
 * <p>Raising a nice value is always allowed; lowering it again needs {@code CAP_SYS_NICE} (root) or an
 * {@code RLIMIT_NICE} that reaches it ({@code 20 - nice <= limit}: systemd's {@code LimitNICE=+0},
 * {@code ulimit -e 20}, {@code nice} in {@code /etc/security/limits.conf}); {@link #canLowerTo} finds out
 * on a thread of its own before anything else is raised.
 */
public final class CpuPriority {

    private static final int PRIO_PROCESS = 0;
    private static final int CAP_SYS_NICE = 23;
    /** Passes before {@link #setAllThreads} gives up on threads that keep appearing. */
    private static final int MAX_PASSES = 10;

    private static final MethodHandle SETPRIORITY =
            LibC.function("setpriority", FunctionDescriptor.of(INT, INT, INT, INT));
    private static final MethodHandle GETTID = LibC.infallibleFunction("gettid", FunctionDescriptor.of(INT));

    private CpuPriority() {}

    /** The calling thread's kernel thread id. */
    public static int currentThreadId() {
        try {
            return (int) GETTID.invokeExact();
        } catch (Throwable t) {
            throw LibC.unexpected(t);
        }
    }

    /** The nice value of thread {@code tid} of process {@code pid}, from its {@code stat} (field 19). */
    public static int niceOf(long pid, long tid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/task/" + tid + "/stat"));
        // the command name, in parentheses, may hold spaces: fields are counted after its closing one
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[16]); // field 19 of the file is the 17th after the name
    }

    /** This process's nice value: its main thread's. */
    public static int niceOfThisProcess() throws IOException {
        long pid = ProcessHandle.current().pid();
        return niceOf(pid, pid);
    }

    /** The thread ids of process {@code pid}, now. */
    public static List<Long> threadsOf(long pid) throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            return tasks.map(task -> Long.parseLong(task.getFileName().toString())).toList();
        }
    }

    /**
     * Whether this process may lower a nice value to {@code nice} (see the class comment), found by doing it: a
     * throwaway thread raises its own nice to {@code nice + 1} and lowers it back. The capability bits alone
     * would mislead in a user namespace (a rootless container), where {@code CapEff} shows {@code CAP_SYS_NICE}
     * but the kernel checks it against the namespace that owns the machine and refuses.
     */
    public static boolean canLowerTo(int nice) {
        if (nice >= 19) {
            return true; // nothing is lower than 19 to return from
        }
        AtomicBoolean permitted = new AtomicBoolean();
        try {
            Thread.ofPlatform().name("baton-nice-probe").start(() -> {
                try {
                    long self = currentThreadId();
                    setThread(self, nice + 1);
                    setThread(self, nice);
                    permitted.set(true);
                } catch (SystemCallException e) {
                    // AccessDenied: not permitted
                }
            }).join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (RuntimeException | OutOfMemoryError e) { // no thread for the probe
            return false;
        }
        return permitted.get();
    }

    /** Why {@link #canLowerTo} is false, in words that say what to change. */
    public static String whyNotLowerTo(int nice) {
        String limit;
        boolean capability;
        try {
            limit = Integer.toString(niceLimit());
            capability = hasSysNice();
        } catch (IOException | RuntimeException e) {
            limit = "unknown (" + e.getMessage() + ")";
            capability = false;
        }
        String systemd = nice < 0 ? "LimitNICE=" + nice : "LimitNICE=+" + nice;
        String raise = "raise the limit: " + systemd + " in the systemd unit, ulimit -e " + (20 - nice)
                + ", or 'nice' in /etc/security/limits.conf";
        return capability
                ? "this process's CAP_SYS_NICE does not reach the kernel (a user namespace, such as a rootless "
                        + "container's) and its RLIMIT_NICE is " + limit + " (it needs " + (20 - nice) + " to return to "
                        + "nice " + nice + "); run it outside a user namespace, or " + raise + " before it is entered"
                : "this process has no CAP_SYS_NICE and its RLIMIT_NICE is " + limit + " (it needs " + (20 - nice)
                        + " to return to nice " + nice + "); run as root, or " + raise;
    }

    /**
     * Sets the nice value of thread {@code tid} (any thread of any process this one may change).
     *
     * @throws SystemCallException.AccessDenied if lowering it is not permitted (see the class comment)
     */
    public static void setThread(long tid, int nice) throws SystemCallException {
        SystemCall.call("setpriority(PRIO_PROCESS, tid " + tid + ", " + nice + ")", SETPRIORITY, PRIO_PROCESS,
                (int) tid, nice);
    }

    /**
     * Sets every thread of process {@code pid} to {@code nice}, again until a pass finds none left to change
     * (threads started meanwhile take their creator's value, which may have been the old one).
     *
     * @return how many threads it changed
     * @throws SystemCallException.AccessDenied if lowering is not permitted; threads changed before stay changed
     */
    public static int setAllThreads(long pid, int nice) throws IOException {
        int changed = 0;
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            int changedThisPass = 0;
            for (long tid : threadsOf(pid)) {
                try {
                    if (niceOf(pid, tid) != nice) {
                        setThread(tid, nice);
                        changedThisPass++;
                    }
                } catch (NoSuchFileException | SystemCallException.NoSuchProcess e) {
                    // the thread ended between the listing and the change: nothing left to change
                }
            }
            changed += changedThisPass;
            if (changedThisPass == 0) {
                break;
            }
        }
        return changed;
    }

    /**
     * Runs {@code spawn} on a new platform thread whose nice value is {@code nice}, and returns its result:
     * a process it starts begins with every thread at that value. The thread ends with it, so the nice it
     * took stays off this process's other threads (threads it starts itself, such as the JDK's process
     * reaper, keep that value; they wait, they do not compute). It waits for the spawn even when interrupted
     * (and then keeps the interrupt): a caller that went on would close the pipes the spawn is passing, and
     * lose the child it starts.
     */
    public static <T> T spawnAt(int nice, Callable<T> spawn) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().name("baton-spawn-nice-" + nice).start(() -> {
            try {
                setThread(currentThreadId(), nice);
                result.set(spawn.call());
            } catch (Exception e) {
                failure.set(e);
            }
        });
        Uninterruptibly.await(thread::join);
        if (failure.get() != null) {
            throw failure.get();
        }
        return result.get();
    }

    private static boolean hasSysNice() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("CapEff:")) {
                long capabilities = Long.parseUnsignedLong(line.substring("CapEff:".length()).strip(), 16);
                return (capabilities & (1L << CAP_SYS_NICE)) != 0;
            }
        }
        return false;
    }

    /** The soft {@code RLIMIT_NICE}, from {@code /proc/self/limits} ("Max nice priority  0  0"). */
    private static int niceLimit() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max nice priority")) {
                List<String> values = new ArrayList<>(List.of(line.substring("Max nice priority".length())
                        .strip().split("\\s+")));
                return values.getFirst().equals("unlimited") ? 40 : Integer.parseInt(values.getFirst());
            }
        }
        throw new IOException("/proc/self/limits has no 'Max nice priority' line");
    }
}
