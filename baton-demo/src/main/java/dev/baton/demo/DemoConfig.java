package dev.baton.demo;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The demo server's configuration, read from a properties file at every start, so that a reload
 * picks up a change. Every key is checked; an unknown key or a bad value is an error that names the
 * file, the key and the value.
 *
 * @param greeting the first words of every answer
 * @param warmUp how long the server warms up before it says it is ready
 * @param exitStatus if not 0, the server exits at once with this status (a broken release, for demos)
 */
public record DemoConfig(String greeting, Duration warmUp, int exitStatus) {

    /** Thrown for a configuration that cannot be used; the message says what is wrong. */
    public static final class InvalidConfigException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidConfigException(String message) {
            super(message);
        }
    }

    public static final String DEFAULT_GREETING = "Hello from Baton";
    private static final Set<String> KEYS = Set.of("greeting", "warmup.ms", "startup.exit.status");

    /** The configuration used without a file. */
    public static DemoConfig defaults() {
        return new DemoConfig(DEFAULT_GREETING, Duration.ZERO, 0);
    }

    /** Reads {@code file}. */
    public static DemoConfig load(Path file) throws InvalidConfigException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new InvalidConfigException("config file " + file + " does not exist");
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        Set<String> unknown = new TreeSet<>(properties.stringPropertyNames());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw new InvalidConfigException("invalid config " + file + ": unknown key " + unknown
                    + "; known keys are " + new TreeSet<>(KEYS));
        }
        String greeting = properties.getProperty("greeting", DEFAULT_GREETING).strip();
        if (greeting.isEmpty() || greeting.length() > 200) {
            throw new InvalidConfigException("invalid config " + file + ": greeting must be 1 to 200 characters");
        }
        long warmUp = number(file, properties, "warmup.ms", 0, 600_000);
        long exitStatus = number(file, properties, "startup.exit.status", 0, 255);
        return new DemoConfig(greeting, Duration.ofMillis(warmUp), (int) exitStatus);
    }

    private static long number(Path file, Properties properties, String key, long min, long max)
            throws InvalidConfigException {
        String value = properties.getProperty(key);
        if (value == null) {
            return min;
        }
        try {
            long number = Long.parseLong(value.strip());
            if (number < min || number > max) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new InvalidConfigException("invalid config " + file + ": " + key + " is '" + value
                    + "'; expected a whole number from " + min + " to " + max);
        }
    }
}
