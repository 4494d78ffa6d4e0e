package dev.baton.demo.cli;

import dev.baton.BatonOptions;
import java.time.Duration;
import picocli.CommandLine;

/**
 * How the demo commands read a duration, as the {@code baton} command does: {@code 500ms}, {@code 30s},
 * {@code 2m} ({@link BatonOptions#parseDuration}); a bare number is a usage error that shows the form.
 * The demo module cannot use baton-cli's converter: baton-cli's tests run the demo server, so the
 * dependency goes the other way.
 */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String text) {
        try {
            return BatonOptions.parseDuration(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
