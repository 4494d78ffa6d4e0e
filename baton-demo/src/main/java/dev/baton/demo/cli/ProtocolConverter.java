package dev.baton.demo.cli;

import dev.baton.demo.DemoProtocol;
import picocli.CommandLine;

/** Reads {@code --protocol}: {@code http1}, {@code h2c}, {@code h2}, {@code ws} or {@code grpc}; anything else is a usage error listing them. */
final class ProtocolConverter implements CommandLine.ITypeConverter<DemoProtocol> {
    @Override
    public DemoProtocol convert(String text) {
        try {
            return DemoProtocol.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
