package dev.baton.demo.cli;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * {@code demo-server}'s arguments read without building picocli's model, on the path every generation of
 * the demo server takes. Picocli's classes are Java 5 bytecode, which JDK 25's AOT cache cannot keep
 * ("Old class has been linked"; JDK-8317269): building its model costs each generation about 150 ms, a
 * fifth of the time from a reload to the successor's ready. This reads the same {@link Option}
 * annotations (names, defaults, converters), so nothing is declared twice; whatever it does not read as
 * picocli would (help, an unknown option, a bad value, a missing required one) returns empty, and picocli
 * takes over with its own messages. {@code DemoServerFastPathTest} holds both to the same fields.
 */
final class DemoServerFastPath {

    /** What {@link Option#defaultValue()} is when an option declares none (picocli 4.7's annotation default). */
    private static final String NO_DEFAULT = "__no_default_value__";

    private DemoServerFastPath() {}

    /** The command with {@code arguments} (those after {@code demo-server}) applied, or empty for picocli. */
    static Optional<DemoServerCommand> parse(String[] arguments) {
        Map<String, Field> byName = new HashMap<>();
        DemoServerCommand command = new DemoServerCommand();
        try {
            for (Field field : DemoServerCommand.class.getDeclaredFields()) {
                Option option = field.getAnnotation(Option.class);
                if (option == null) {
                    continue;
                }
                for (String name : option.names()) {
                    byName.put(name, field);
                }
                if (!option.defaultValue().equals(NO_DEFAULT)) {
                    field.set(command, convert(field, option, option.defaultValue()));
                }
            }
            Set<Field> given = new HashSet<>();
            for (int i = 0; i < arguments.length; i++) {
                String argument = arguments[i];
                if (argument.startsWith("@")) {
                    return Optional.empty(); // picocli expands an @file anywhere on the line
                }
                int equals = argument.indexOf('=');
                String name = equals > 0 ? argument.substring(0, equals) : argument;
                Field field = byName.get(name);
                if (field == null || !given.add(field)) {
                    return Optional.empty(); // --help, --version, a typo, an option given twice: picocli's to answer
                }
                if (field.getType() == boolean.class) {
                    if (equals > 0) {
                        return Optional.empty();
                    }
                    field.setBoolean(command, true);
                } else {
                    String value = equals > 0 ? argument.substring(equals + 1) : ++i < arguments.length ? arguments[i] : null;
                    if (value == null || value.startsWith("@") || byName.containsKey(value)) {
                        return Optional.empty(); // picocli refuses an option name as a value
                    }
                    field.set(command, convert(field, field.getAnnotation(Option.class), value));
                }
            }
            for (Field field : byName.values()) {
                if (field.getAnnotation(Option.class).required() && !given.contains(field)) {
                    return Optional.empty();
                }
            }
            return Optional.of(command);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Optional.empty(); // a value picocli would refuse, saying why
        }
    }

    private static Object convert(Field field, Option option, String text) throws ReflectiveOperationException {
        Class<? extends ITypeConverter<?>>[] converters = option.converter();
        if (converters.length > 0) {
            try {
                return converters[0].getDeclaredConstructor().newInstance().convert(text);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw e;
            } catch (Exception e) { // ITypeConverter.convert may throw any exception
                throw new IllegalArgumentException(e);
            }
        }
        Class<?> type = field.getType();
        if (type == String.class) {
            return text;
        }
        if (type == int.class) {
            return Integer.parseInt(text);
        }
        if (type == Path.class) {
            return Path.of(text);
        }
        if (type.isEnum()) { // case-insensitive, as DemoCli's picocli is set up
            for (Object constant : type.getEnumConstants()) {
                if (((Enum<?>) constant).name().equalsIgnoreCase(text)) {
                    return constant;
                }
            }
            throw new IllegalArgumentException(text.toLowerCase(Locale.ROOT) + " is not a " + type.getSimpleName());
        }
        throw new IllegalArgumentException("no conversion to " + type); // a new field's type: picocli's
    }
}
