package dev.baton.internal.service;

import dev.baton.internal.os.ExecutableSearch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The name of a command line's AOT cache: its main jar's name and a digest of what makes a cache match,
 * the JDK, the JVM options and every jar's path, size and modification time (JDK 25 does not check that
 * the class path is the one recorded: a cache of another build of a jar would run its old classes).
 */
final class AotCacheKey {

    private AotCacheKey() {}

    /** {@code program} as the shell finds it: a bare name (a worker's {@code java}) on {@code $PATH}. */
    private static Path executable(String program) {
        return ExecutableSearch.find(program, System.getenv("PATH")).orElse(Path.of(program));
    }

    /** The key: a digest of the JDK, the JVM options and every jar's path, size and modification time. */
    static String of(List<String> command) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Path java = executable(command.getFirst()).toRealPath();
        update(digest, java.toString());
        Path release = java.getParent().getParent().resolve("release");
        if (Files.exists(release)) {
            digest.update(Files.readAllBytes(release));
        }
        Path modules = modulesOf(java);
        if (Files.exists(modules)) {
            update(digest, Files.size(modules) + "@" + Files.getLastModifiedTime(modules).toMillis());
        }
        JavaLaunch launch = JavaLaunch.of(command);
        for (String option : launch.options()) {
            update(digest, option);
        }
        List<Path> jars = launch.jars();
        for (Path jar : jars) {
            update(digest, jar.toString());
            if (Files.isRegularFile(jar)) {
                update(digest, Files.size(jar) + "@" + Files.getLastModifiedTime(jar).toMillis());
            }
        }
        String jarName = launch.mainJar().map(jar -> jar.getFileName().toString().replaceAll("\\.jar$", ""))
                .orElse("java");
        return jarName.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + HexFormat.of().formatHex(digest.digest(), 0, 8);
    }

    /**
     * The files at fixed paths that a new build or a new JDK replaces, each as {@code path<TAB>size@time}: the
     * main jar (if {@code -jar}) and the JDK's {@code lib/modules}. While one of them differs, no command can
     * have this key again. See {@link StaleAotCaches}.
     */
    static List<String> sources(List<String> command) throws IOException {
        List<String> sources = new ArrayList<>();
        Optional<Path> mainJar = JavaLaunch.of(command).mainJar();
        if (mainJar.isPresent()) {
            sources.add(source(mainJar.get()));
        }
        Path modules = modulesOf(executable(command.getFirst()).toRealPath());
        if (Files.exists(modules)) {
            sources.add(source(modules));
        }
        return sources;
    }

    /** The JDK's class image beside {@code java} (its real path, {@code JDK/bin/java}). */
    private static Path modulesOf(Path java) {
        return java.getParent().getParent().resolve("lib/modules");
    }

    /** {@code path<TAB>size@time} of a file, {@code path<TAB>absent} of none. */
    static String source(Path file) {
        try {
            return file + "\t" + Files.size(file) + "@" + Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return file + "\tabsent";
        }
    }

    private static void update(MessageDigest digest, String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
    }
}
