package dev.baton.demo;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which server the demo runs on Baton: Jetty 12, Netty 4.2, or grpc-java on Netty. */
public enum DemoServerKind {

    /** Jetty 12: HTTP/1.1. */
    JETTY,
    /** Netty 4.2: HTTP/1.1 and h2c (prior knowledge or upgrade) on one port. */
    NETTY,
    /** grpc-java: the demo service ({@code Hello}, {@code Ticks}) and the standard health service. */
    GRPC;

    /** The name on the command line: {@code jetty}, {@code netty}, {@code grpc}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The kind named {@code text}, in any case.
     *
     * @throws IllegalArgumentException naming the text and the kinds there are
     */
    public static DemoServerKind parse(String text) {
        for (DemoServerKind kind : values()) {
            if (kind.label().equalsIgnoreCase(text.strip())) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown server '" + text + "'; expected one of " + labels());
    }

    /** The labels of every kind, as {@code jetty, netty, grpc}. */
    public static String labels() {
        return Arrays.stream(values()).map(DemoServerKind::label).collect(Collectors.joining(", "));
    }
}
