package dev.baton.internal.os;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether Baton can run in this JVM, and if not, why and what to change: Linux on x86-64 or aarch64,
 * native access enabled for Baton, and {@code java.base/sun.nio.ch} opened to it (the flags named for
 * the class path or for the module path, whichever Baton runs on). The supervised mode needs more,
 * which {@link #supervisorUnavailabilityCause()} checks before anything starts: the glibc functions it
 * links, and pidfds from the kernel.
 */
public final class Availability {

    /** A C function the supervised mode links and the glibc release that added it. */
    private record Needed(String function, String glibc) {}

    /** Every function Spawn, ChildProcesses and Exec link; the old POSIX ones are in every glibc. */
    private static final List<Needed> SUPERVISOR_FUNCTIONS = List.of(
            new Needed("posix_spawn", "2.2"),
            new Needed("posix_spawn_file_actions_init", "2.2"),
            new Needed("posix_spawn_file_actions_destroy", "2.2"),
            new Needed("posix_spawn_file_actions_adddup2", "2.2"),
            new Needed("posix_spawn_file_actions_addopen", "2.2"),
            new Needed("posix_spawn_file_actions_addclosefrom_np", "2.34"),
            new Needed("posix_spawnattr_init", "2.2"),
            new Needed("posix_spawnattr_destroy", "2.2"),
            new Needed("posix_spawnattr_setflags", "2.2"),
            new Needed("posix_spawnattr_setpgroup", "2.2"),
            new Needed("posix_spawnattr_setsigdefault", "2.2"),
            new Needed("posix_spawnattr_setsigmask", "2.2"),
            new Needed("sigfillset", "2.0"),
            new Needed("sigemptyset", "2.0"),
            new Needed("sigprocmask", "2.0"),
            new Needed("execve", "2.0"),
            new Needed("waitid", "2.0"),
            new Needed("pidfd_open", "2.36"));

    private Availability() {}

    /** Why Baton cannot run here, or empty if it can. */
    public static Optional<String> unavailabilityCause() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return Optional.of("Baton runs on Linux only; this JVM runs on " + os);
        }
        if (!List.of("amd64", "x86_64", "aarch64").contains(arch)) {
            return Optional.of("Baton supports Linux on x86-64 and aarch64 only; this JVM runs on " + arch);
        }
        Module baton = Availability.class.getModule();
        List<String> flags = missingFlags(baton, baton.isNativeAccessEnabled(),
                Object.class.getModule().isOpen("sun.nio.ch", baton));
        if (flags.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(describeMissing(baton.isNamed(), flags));
    }

    /** The flags missing for {@code baton}: named for its module if it is named, for ALL-UNNAMED if not. */
    static List<String> missingFlags(Module baton, boolean nativeAccess, boolean sunNioChOpen) {
        String target = baton.isNamed() ? baton.getName() : "ALL-UNNAMED";
        List<String> flags = new ArrayList<>();
        if (!nativeAccess) {
            flags.add("--enable-native-access=" + target);
        }
        if (!sunNioChOpen) {
            flags.add("--add-opens=java.base/sun.nio.ch=" + target);
        }
        return flags;
    }

    static String describeMissing(boolean named, List<String> flags) {
        String where = named
                ? "Add them to the java command line (Baton runs as the named module dev.baton here; a jar "
                        + "manifest's attributes apply to the class path only)."
                : "Add them to the java command line (or, for an executable jar, the manifest attributes "
                        + "'Enable-Native-Access: ALL-UNNAMED' and 'Add-Opens: java.base/sun.nio.ch').";
        return "Baton needs JVM flags this JVM was started without: " + String.join(" ", flags) + ". " + where;
    }

    /**
     * Why the supervised mode ({@code baton run}) cannot run here, or empty if it can: what
     * {@link #unavailabilityCause()} says, else each C function it links that this C library lacks
     * (with the glibc release that added it and the one found), else pidfds the kernel does not offer.
     * Call it before the supervisor starts anything: without it, a missing function is an
     * {@code UnsatisfiedLinkError} at the first worker start.
     */
    public static Optional<String> supervisorUnavailabilityCause() {
        Optional<String> basic = unavailabilityCause();
        if (basic.isPresent()) {
            return basic;
        }
        SymbolLookup libc = Linker.nativeLinker().defaultLookup();
        List<String> missing = new ArrayList<>();
        for (Needed needed : SUPERVISOR_FUNCTIONS) {
            if (libc.find(needed.function()).isEmpty()) {
                missing.add("glibc " + needed.glibc() + " or newer for " + needed.function());
            }
        }
        if (!missing.isEmpty()) {
            return Optional.of("the supervised mode needs " + String.join(", and ", missing) + "; found "
                    + glibcVersion(libc).map(v -> "glibc " + v).orElse("a C library that is not glibc")
                    + ". Upgrade the system's C library (or use a distribution or image with a newer one).");
        }
        return pidfdUnavailabilityCause();
    }

    /**
     * Checks {@link #supervisorUnavailabilityCause()}.
     *
     * @throws IOException saying what is missing and what to change, if the supervised mode cannot run here
     */
    public static void ensureSupervisorAvailable() throws IOException {
        Optional<String> cause = supervisorUnavailabilityCause();
        if (cause.isPresent()) {
            throw new IOException(cause.get());
        }
    }

    /** glibc's version, from {@code gnu_get_libc_version()}, or empty for another C library. */
    @SuppressWarnings("restricted") // a call without arguments that returns a static string
    static Optional<String> glibcVersion(SymbolLookup libc) {
        Optional<MemorySegment> function = libc.find("gnu_get_libc_version");
        if (function.isEmpty()) {
            return Optional.empty();
        }
        MethodHandle handle = Linker.nativeLinker().downcallHandle(function.get(),
                FunctionDescriptor.of(LibC.POINTER));
        try {
            MemorySegment version = (MemorySegment) handle.invokeExact();
            return Optional.of(version.reinterpret(64).getString(0));
        } catch (Throwable t) {
            throw LibC.unexpected(t);
        }
    }

    /**
     * Whether pidfds work: {@code pidfd_open} on this process (Linux 5.3), then {@code waitid(P_PIDFD)}
     * on it (Linux 5.4), which answers ECHILD (this process is not its own child) where it is supported
     * and EINVAL where it is not.
     */
    private static Optional<String> pidfdUnavailabilityCause() {
        String kernel = "found Linux " + System.getProperty("os.version", "(unknown)");
        int pidfd;
        try {
            pidfd = ChildProcesses.openPidfd(ProcessHandle.current().pid());
        } catch (SystemCallException e) {
            return Optional.of("the supervised mode needs pidfds (Linux 5.3 or newer, and not blocked by a "
                    + "seccomp filter such as an older container runtime's): " + e.getMessage() + "; " + kernel);
        }
        try {
            ChildProcesses.reap(pidfd);
            return Optional.empty(); // cannot happen: this process is not its own child; it works, then
        } catch (SystemCallException e) {
            if (e.errno() == Errno.ECHILD) {
                return Optional.empty();
            }
            String needs = e.errno() == Errno.EINVAL ? "Linux 5.4 or newer for waitid(P_PIDFD)"
                    : "waitid(P_PIDFD) to work";
            return Optional.of("the supervised mode needs " + needs + ": " + e.getMessage() + "; " + kernel);
        } finally {
            Descriptors.closeQuietly(pidfd);
        }
    }
}
