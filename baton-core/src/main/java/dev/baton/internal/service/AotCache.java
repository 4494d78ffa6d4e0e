package dev.baton.internal.service;

import dev.baton.internal.os.CpuPriority;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * The JDK's AOT cache (JEP 483/514/515) of a Java command, kept by Baton in a directory of its own: it adds
 * the cache's flags to a successor's command line, and trains the cache while generations run.
 *
 * <p>One cache per key: the {@code java} executable and its JDK, the JVM options, and the path, size and
 * modification time of every jar on the class and module path. The key is Baton's guard, not only the
 * JVM's: JDK 25.0.3 was seen to map a cache made from another build of the same jar and run the old
 * classes from it, so a jar that changes must change the file name.
 *
 * <p>The states of a key, as its files say, and what the next successor runs with:
 * <ol>
 *   <li>nothing yet: it <em>records</em> ({@code -XX:AOTMode=record}); the JVM writes {@code <key>.aotconf}
 *       when that generation exits (after its successor took over);
 *   <li>a configuration whose recorder has exited: an <em>assembly</em> ({@code -XX:AOTMode=create}) starts
 *       beside it, at nice 19 with its output in {@code <key>.log}, and the successor runs without a cache;
 *   <li>{@code <key>.aot}: it <em>uses</em> the cache.
 * </ol>
 * A recording also writes {@code <key>.source}, what the cache is made from: when the jar or the JDK at
 * that path is replaced, the next upgrade removes that key's files ({@link StaleAotCaches}).
 * While a recorder or an assembly runs, successors run without a cache. None of it can fail a start: a
 * cache the JVM refuses (corrupt, truncated, another JVM) only costs the time it saves, the JVM says so in
 * none of its output (its {@code aot} and {@code cds} logging is off), and the generation that was refused
 * removes the file ({@link #removeIfRefused}) so the next records a new one.
 *
 * <p>Baton's flags go after {@code java}, behind a marker {@code -Dbaton.aot=N} that counts them, so the
 * next generation, whose command is this one's {@code /proc/self/cmdline}, removes them exactly.
 */
public final class AotCache {

    /** The environment variable that turns the cache on for a service that did not set it in its options. */
    public static final String VARIABLE = "BATON_AOT_CACHE";

    private static final Logger LOG = System.getLogger("dev.baton");
    private static final String MARKER = "-Dbaton.aot=";
    private static final List<String> QUIET = List.of("-Xlog:aot*=off,cds*=off");
    private static final int ASSEMBLY_NICE = 19;

    /** What the successor runs with. */
    public enum Use { RECORD, ASSEMBLING, CACHE, NONE }

    /**
     * A successor's command line with the cache's flags, and what to do once it has started.
     *
     * @param command what to run
     * @param use how it uses the cache
     * @param started to call with the successor's pid once it runs (a recorder is remembered by it)
     * @param failedBeforeReady to call with the reason if the successor failed before it was ready (a
     *     recorder's failure gives the cache of its key up: {@link #recordingFailed}); it answers the lines
     *     the JVM printed that its output did not show (a recorder's, see {@link VmOutputLog}), for the report
     */
    public record Prepared(List<String> command, Use use, LongConsumer started,
            Function<String, List<String>> failedBeforeReady) {

        /** {@code command} as it is, without a cache. */
        static Prepared plain(List<String> command) {
            return of(command, Use.NONE);
        }

        /** {@code command}, using the cache as {@code use} says, with nothing to do when it starts or fails. */
        private static Prepared of(List<String> command, Use use) {
            return new Prepared(command, use, pid -> {}, reason -> List.of());
        }
    }

    /** What to start for {@code command}: with {@code cache} if there is one, else the command without Baton's flags. */
    public static Prepared prepare(Optional<AotCache> cache, List<String> command, String logPrefix) {
        return cache.map(aot -> aot.prepare(command, logPrefix)).orElse(Prepared.plain(withoutFlags(command)));
    }

    /** Where the JVM takes options from besides its command line. */
    private static final List<String> OPTION_VARIABLES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

    private final Path directory;
    private final boolean flightRecordingAsked;

    private AotCache(Path directory, Map<String, String> environment) {
        this.directory = directory;
        this.flightRecordingAsked = OPTION_VARIABLES.stream()
                .anyMatch(name -> asksForFlightRecording(environment.getOrDefault(name, "")));
    }

    /**
     * Whether JVM options start a JFR recording: a JVM in AOT record mode writes none (JDK 25.0.3: the
     * recording's file is never created), so a generation asked to record one must not record the cache.
     */
    static boolean asksForFlightRecording(String options) {
        return options.contains("-XX:StartFlightRecording") || options.contains("-XX:+FlightRecorder");
    }

    /**
     * The cache in {@code directory}, or if that is null in {@code $BATON_AOT_CACHE}; empty if neither is set.
     */
    public static Optional<AotCache> of(Path directory, Map<String, String> environment) {
        if (directory != null) {
            return Optional.of(new AotCache(directory.toAbsolutePath(), environment));
        }
        String variable = environment.getOrDefault(VARIABLE, "");
        return variable.isBlank() ? Optional.empty()
                : Optional.of(new AotCache(Path.of(variable).toAbsolutePath(), environment));
    }

    public Path directory() {
        return directory;
    }

    /**
     * The command to start the successor with, for {@code command} (a predecessor's command line, with or
     * without Baton's flags). A command that is not {@code java} is returned as it is; so is any command when
     * the directory cannot be made (logged: the successor then runs without a cache).
     */
    public Prepared prepare(List<String> command, String logPrefix) {
        List<String> plain = withoutFlags(command);
        if (!isJava(plain)) {
            return Prepared.plain(plain);
        }
        JavaLaunch launch = JavaLaunch.of(plain);
        Optional<String> conflict = launch.options().stream().filter(AotCache::conflicts).findFirst();
        if (conflict.isPresent()) {
            LOG.log(Level.WARNING, logPrefix + "the AOT cache is not used: the command line sets " + conflict.get()
                    + ", which the JVM refuses beside an AOT cache or recording (it would not start); drop it to "
                    + "have Baton's cache");
            return Prepared.plain(plain);
        }
        Optional<Path> classDirectory = launch.classDirectory();
        if (classDirectory.isPresent()) {
            LOG.log(Level.WARNING, logPrefix + "the AOT cache is not used: the class path holds the directory "
                    + classDirectory.get() + ", and the JDK caches classes from jar files only (a recording would "
                    + "fail at exit); run the application from jars to use it");
            return Prepared.plain(plain);
        }
        try {
            Files.createDirectories(directory);
            Files.setPosixFilePermissions(directory, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            String name = keyOf(plain);
            removeStale(name, plain, logPrefix);
            Path cache = directory.resolve(name + ".aot");
            Path configuration = directory.resolve(name + ".aotconf");
            Path recorder = directory.resolve(name + ".recorder");
            Path assembler = directory.resolve(name + ".assembler");
            if (runs(assembler)) {
                return Prepared.of(plain, Use.ASSEMBLING);
            }
            Path failed = directory.resolve(name + ".failed");
            if (Files.exists(failed)) {
                LOG.log(Level.WARNING, logPrefix + "the AOT cache " + cache + " was given up: "
                        + Files.readString(failed).strip() + "; successors start without a cache until the jars, the "
                        + "JDK or the JVM options change (or " + failed + " is removed)");
                return Prepared.plain(plain);
            }
            if (Files.exists(cache)) {
                Files.deleteIfExists(configuration);
                Files.deleteIfExists(vmOutput(name));
                return Prepared.of(withFlags(plain, List.of("-XX:AOTCache=" + cache)), Use.CACHE);
            }
            if (runs(recorder)) {
                return Prepared.plain(plain);
            }
            if (Files.exists(configuration) && Files.size(configuration) == 0) {
                Files.delete(configuration); // a recording the JVM gave up on: record again
                LOG.log(Level.WARNING, logPrefix + "the last generation's AOT recording " + configuration
                        + " is empty; this successor records again");
            }
            if (Files.exists(configuration)) {
                assemble(plain, configuration, cache, assembler, failed, directory.resolve(name + ".log"), logPrefix);
                return Prepared.of(plain, Use.ASSEMBLING);
            }
            if (flightRecordingAsked || launch.options().stream().anyMatch(AotCache::asksForFlightRecording)) {
                LOG.log(Level.WARNING, logPrefix + "no AOT recording while a JFR recording is asked for "
                        + "(-XX:StartFlightRecording): a JVM recording the AOT cache writes no flight recording; "
                        + "this successor starts without a cache (record the cache once without JFR to have one)");
                return Prepared.plain(plain);
            }
            List<String> record = new ArrayList<>(List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + configuration,
                    // the JVM prints "AOTConfiguration recorded" at exit on its tty, which no -Xlog silences;
                    // what it prints goes to a file instead, for the report if it fails
                    "-XX:+UnlockDiagnosticVMOptions", "-XX:-DisplayVMOutput"));
            record.addAll(VmOutputLog.flags(vmOutput(name)));
            StaleAotCaches.record(directory, name, plain);
            return new Prepared(withFlags(plain, record), Use.RECORD, pid -> remember(recorder, pid, logPrefix),
                    reason -> recordingFailed(plain, reason, logPrefix));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, logPrefix + "the AOT cache in " + directory + " is not usable (" + e
                    + "); the successor starts without it");
            return Prepared.plain(plain);
        }
    }

    /**
     * Computes the key of {@code command}'s cache and throws it away: the first key of a JVM costs tens of
     * milliseconds cold (the digest's provider, the jar's manifest), which a reload would otherwise wait for.
     */
    public void prepareKey(List<String> command) {
        List<String> plain = withoutFlags(command);
        if (isJava(plain)) {
            try {
                keyOf(plain);
            } catch (IOException | RuntimeException e) {
                // prepare() words it, when a reload needs the key
            }
        }
    }

    /**
     * A successor that was recording for {@code command} failed before it was ready: the cache of that key
     * is given up ({@code <key>.failed}, holding {@code reason}), so that the next upgrades start plain
     * instead of recording again. A JVM that cannot start in record mode says nothing (the recording hides
     * its output), so a retry would fail the same way at every upgrade; a failure of the application's own
     * costs only the cache, until the jars, the JDK or the options change or the file is removed.
     */
    List<String> recordingFailed(List<String> command, String reason, String logPrefix) {
        List<String> plain = withoutFlags(command);
        try {
            String name = keyOf(plain);
            List<String> jvmSaid = VmOutputLog.ttyLines(vmOutput(name));
            String said = jvmSaid.isEmpty() ? "" : "; the JVM said: " + String.join(" / ", jvmSaid);
            Path failed = directory.resolve(name + ".failed");
            Files.writeString(failed, "the recording successor " + reason + said + "\n");
            Files.deleteIfExists(directory.resolve(name + ".recorder"));
            Files.deleteIfExists(directory.resolve(name + ".aotconf"));
            Files.deleteIfExists(vmOutput(name));
            LOG.log(Level.WARNING, logPrefix + "the successor that recorded the AOT cache failed" + said
                    + "; later successors start without a cache (remove " + failed + " to record again)");
            return jvmSaid;
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, logPrefix + "cannot mark the AOT cache in " + directory + " as failed: " + e);
            return List.of();
        }
    }

    /** Removes the caches of builds of this command that are gone; failing that, they only take disk space. */
    private void removeStale(String name, List<String> plain, String logPrefix) {
        try {
            for (String stale : StaleAotCaches.remove(directory, name, plain, AotCache::runs)) {
                LOG.log(Level.INFO, logPrefix + "removed the AOT cache " + directory.resolve(stale + ".aot")
                        + ": its jar or its JDK has been replaced since it was made");
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, logPrefix + "cannot remove the AOT caches of earlier builds from " + directory
                    + ": " + e.getMessage());
        }
    }

    /** Where a recorder of key {@code name} keeps the JVM's own output, which its tty does not show. */
    private Path vmOutput(String name) {
        return directory.resolve(name + ".vmout");
    }

    /**
     * Removes the cache named in {@code commandLine} (this process's) if the JVM refused it: then
     * {@code vmInfo} (the {@code java.vm.info} property) does not say "sharing". Returns the file removed.
     */
    public static Optional<Path> removeIfRefused(List<String> commandLine, String vmInfo) {
        if (vmInfo != null && vmInfo.contains("sharing")) {
            return Optional.empty();
        }
        for (String flag : flagsOf(commandLine)) {
            if (flag.startsWith("-XX:AOTCache=")) {
                Path cache = Path.of(flag.substring("-XX:AOTCache=".length()));
                try {
                    return Files.deleteIfExists(cache) ? Optional.of(cache) : Optional.empty();
                } catch (IOException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** {@code command} without the flags Baton added (the marker and the arguments it counts). */
    public static List<String> withoutFlags(List<String> command) {
        int marker = markerIndex(command);
        if (marker < 0) {
            return List.copyOf(command);
        }
        int count = Integer.parseInt(command.get(marker).substring(MARKER.length()));
        List<String> plain = new ArrayList<>(command.subList(0, marker));
        plain.addAll(command.subList(Math.min(command.size(), marker + 1 + count), command.size()));
        return List.copyOf(plain);
    }

    private static List<String> flagsOf(List<String> command) {
        int marker = markerIndex(command);
        if (marker < 0) {
            return List.of();
        }
        int count = Integer.parseInt(command.get(marker).substring(MARKER.length()));
        return command.subList(marker + 1, Math.min(command.size(), marker + 1 + count));
    }

    private static int markerIndex(List<String> command) {
        for (int i = 1; i < command.size(); i++) {
            if (command.get(i).startsWith(MARKER) && command.get(i).substring(MARKER.length()).matches("\\d{1,3}")) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> withFlags(List<String> plain, List<String> flags) {
        List<String> all = new ArrayList<>(flags);
        all.addAll(QUIET);
        List<String> command = new ArrayList<>(plain.size() + all.size() + 1);
        command.add(plain.getFirst());
        command.add(MARKER + all.size());
        command.addAll(all);
        command.addAll(plain.subList(1, plain.size()));
        return List.copyOf(command);
    }

    private static boolean isJava(List<String> command) {
        return !command.isEmpty() && Path.of(command.getFirst()).getFileName().toString().equals("java");
    }

    /**
     * Whether a JVM option of the command itself rules out Baton's cache: the JVM will not start with
     * {@code -XX:AOTConfiguration} beside {@code -Xshare:*} or the CDS options, and the command's own AOT
     * options are the user's choice.
     */
    private static boolean conflicts(String option) {
        return option.startsWith("-Xshare:") || option.startsWith("-XX:SharedArchiveFile")
                || option.startsWith("-XX:SharedClassListFile") || option.startsWith("-XX:+DumpLoadedClassList")
                || option.startsWith("-XX:DumpLoadedClassList") || option.startsWith("-XX:AOT")
                || option.startsWith("-XX:+AutoCreateSharedArchive");
    }

    /** The key of {@code command}'s cache; see {@link AotCacheKey}. */
    static String keyOf(List<String> command) throws IOException {
        return AotCacheKey.of(command);
    }

    /**
     * Starts the assembly of {@code cache} from {@code configuration}, at nice 19, in the background; if it
     * fails, {@code failed} is written, so that the same failure is not recorded and assembled again at every
     * upgrade (each costs CPU-seconds beside the serving generation).
     */
    private static void assemble(List<String> plain, Path configuration, Path cache, Path assembler, Path failed,
            Path log, String logPrefix) throws IOException {
        // The JVM writes the cache under a temporary name, moved into place only once complete, and the
        // recording is removed, all by a shell, which outlives the generation that started it: running JVMs map
        // the cache file, and a file truncated or rewritten under them ends them with SIGBUS.
        Path partial = cache.resolveSibling(cache.getFileName() + ".partial");
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c",
                "partial=$1 cache=$2 configuration=$3 failed=$4 log=$5; shift 5; \"$@\" && mv -f -- \"$partial\" \"$cache\"; "
                        + "status=$?; rm -f -- \"$partial\" \"$configuration\"; "
                        + "[ $status -eq 0 ] || echo \"its assembly exited with status $status (see $log)\" > \"$failed\"; "
                        + "exit $status",
                "baton-aot-assembly", partial.toString(), cache.toString(), configuration.toString(),
                failed.toString(), log.toString()));
        command.add(plain.getFirst());
        command.addAll(List.of("-XX:AOTMode=create", "-XX:AOTConfiguration=" + configuration,
                "-XX:AOTCache=" + partial));
        command.addAll(plain.subList(1, plain.size()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        // a successor's variables would make the assembly look like a generation of the service
        builder.environment().keySet().removeIf(variable -> variable.startsWith("BATON_UPGRADE")
                || variable.startsWith("LISTEN_") || variable.equals("NOTIFY_SOCKET"));
        Process process;
        try {
            process = CpuPriority.spawnAt(ASSEMBLY_NICE, builder::start);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
        remember(assembler, process.pid(), logPrefix);
        LOG.log(Level.INFO, logPrefix + "assembling the AOT cache " + cache + " from what the last generation "
                + "recorded (pid " + process.pid() + ", nice " + ASSEMBLY_NICE + ", log " + log + ")");
        process.onExit().thenRun(() -> {
            if (process.exitValue() != 0) {
                LOG.log(Level.WARNING, logPrefix + "the AOT cache assembly exited with " + process.exitValue()
                        + " (see " + log + "); successors start without a cache until the jars, the JDK or the JVM "
                        + "options change");
            }
        });
    }

    private static void remember(Path file, long pid, String logPrefix) {
        try {
            Files.writeString(file, Long.toString(pid));
        } catch (IOException e) {
            LOG.log(Level.WARNING, logPrefix + "cannot write " + file + ": " + e.getMessage());
        }
    }

    /** Whether the pid in {@code file} is a live process. */
    static boolean runs(Path file) {
        try {
            long pid = Long.parseLong(Files.readString(file).strip());
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !zombie(pid);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
