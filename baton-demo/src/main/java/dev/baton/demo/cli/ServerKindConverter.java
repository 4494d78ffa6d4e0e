package dev.baton.demo.cli;

import dev.baton.demo.DemoServerKind;
import picocli.CommandLine;

/** Reads {@code --server}: {@code jetty}, {@code netty}, {@code grpc} or {@code spring-*}; anything else is a usage error listing them. */
final class ServerKindConverter implements CommandLine.ITypeConverter<DemoServerKind> {
    @Override
    public DemoServerKind convert(String text) {
        try {
            return DemoServerKind.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
