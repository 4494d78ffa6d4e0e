package dev.baton.cli;

import dev.baton.BatonOptions;
import java.time.Duration;
import picocli.CommandLine;

/**
 * The one way the command line reads a duration: {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}
 * ({@link BatonOptions#parseDuration}); a bare number is a usage error (exit 2) that shows the form.
 */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return BatonOptions.parseDuration(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
