package dev.baton.internal.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a {@code java} command line launches, as the AOT cache needs it: the JVM's options (everything before
 * the main class, module or jar), the class path and module path entries, and the main jar if any.
 *
 * @param options the JVM's options, each option's value after it
 * @param classPath the class path's entries, as written
 * @param modulePath the module path's entries, as written
 * @param mainJar the jar given to {@code -jar}
 */
record JavaLaunch(List<String> options, List<String> classPath, List<String> modulePath, Optional<Path> mainJar) {

    /** Options of the java launcher whose value is the next argument. */
    private static final Set<String> WITH_VALUE = Set.of("-cp", "-classpath", "--class-path", "-p", "--module-path",
            "--upgrade-module-path", "--add-modules", "--add-opens", "--add-exports", "--add-reads",
            "--enable-native-access", "--limit-modules", "--patch-module");
    private static final Set<String> CLASS_PATH = Set.of("-cp", "-classpath", "--class-path");
    private static final Set<String> MODULE_PATH = Set.of("-p", "--module-path");

    /** The launch of {@code command}, argv[0] ({@code java}) first. */
    static JavaLaunch of(List<String> command) {
        List<String> options = new ArrayList<>();
        List<String> classPath = new ArrayList<>();
        List<String> modulePath = new ArrayList<>();
        Path mainJar = null;
        for (int i = 1; i < command.size(); i++) {
            String argument = command.get(i);
            if (argument.equals("-jar") && i + 1 < command.size()) {
                mainJar = Path.of(command.get(i + 1)).toAbsolutePath();
                break;
            }
            if (!argument.startsWith("-") || argument.equals("-m") || argument.equals("--module")) {
                break; // the main class or module: the program's own arguments follow
            }
            options.add(argument);
            if (WITH_VALUE.contains(argument) && i + 1 < command.size()) {
                String value = command.get(++i);
                options.add(value);
                if (CLASS_PATH.contains(argument)) {
                    classPath.addAll(List.of(value.split(":")));
                } else if (MODULE_PATH.contains(argument)) {
                    modulePath.addAll(List.of(value.split(":")));
                }
            }
        }
        return new JavaLaunch(List.copyOf(options), List.copyOf(classPath), List.copyOf(modulePath),
                Optional.ofNullable(mainJar));
    }

    /** Every jar the JVM may load classes from: the main jar, its manifest's class path, both paths' jars. */
    List<Path> jars() throws IOException {
        List<Path> jars = new ArrayList<>();
        if (mainJar.isPresent()) {
            jars.add(mainJar.get());
            jars.addAll(manifestClassPath(mainJar.get()));
        }
        for (String entry : classPath) {
            jars.addAll(expand(entry));
        }
        for (String entry : modulePath) {
            jars.addAll(expand(entry));
        }
        return jars;
    }

    /**
     * The first directory of classes on the class path or the module path, if any: the JDK records and loads
     * an AOT cache for classes from jar files only, and a recording with a non-empty class directory fails
     * at exit.
     */
    Optional<Path> classDirectory() {
        for (String entry : classPath) {
            Path path = Path.of(entry.isEmpty() ? "." : entry).toAbsolutePath();
            if (Files.isDirectory(path) && holds(path, false)) {
                return Optional.of(path);
            }
        }
        for (String entry : modulePath) {
            Path path = Path.of(entry).toAbsolutePath();
            if (Files.isDirectory(path) && holds(path, true)) {
                return Optional.of(path);
            }
        }
        return Optional.empty();
    }

    /** A class path directory with anything in it, or a module path directory with more than jars in it. */
    private static boolean holds(Path directory, boolean onlyJarsAllowed) {
        try (var listing = Files.list(directory)) {
            return listing.anyMatch(file -> !onlyJarsAllowed || !file.toString().endsWith(".jar"));
        } catch (IOException e) {
            return false; // unreadable: the JVM cannot load from it either
        }
    }

    private static List<Path> expand(String entry) throws IOException {
        if (entry.endsWith("/*") || entry.equals("*")) {
            Path dir = Path.of(entry.substring(0, entry.length() - 1)).toAbsolutePath();
            try (var listing = Files.list(dir)) {
                return listing.filter(path -> path.toString().endsWith(".jar")).sorted().toList();
            }
        }
        Path path = Path.of(entry).toAbsolutePath();
        if (Files.isDirectory(path)) {
            try (var listing = Files.list(path)) { // a module path directory: its jars
                return listing.filter(file -> file.toString().endsWith(".jar")).sorted().toList();
            }
        }
        return List.of(path);
    }

    private static List<Path> manifestClassPath(Path jar) throws IOException {
        if (!Files.isRegularFile(jar)) {
            return List.of();
        }
        try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
            java.util.jar.Manifest manifest = file.getManifest();
            String value = manifest == null ? null
                    : manifest.getMainAttributes().getValue(java.util.jar.Attributes.Name.CLASS_PATH);
            if (value == null || value.isBlank()) {
                return List.of();
            }
            List<Path> entries = new ArrayList<>();
            for (String entry : value.strip().split("\\s+")) {
                entries.add(jar.getParent().resolve(entry).normalize());
            }
            return entries;
        } catch (IOException e) {
            return List.of(); // not a jar the JVM can run either: its size and time are the key
        }
    }
}
