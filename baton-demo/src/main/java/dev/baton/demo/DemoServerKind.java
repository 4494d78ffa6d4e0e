package dev.baton.demo;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which server the demo runs on Baton: Jetty 12, Netty 4.2, grpc-java on Netty, or the Spring Boot sample
 * application (baton-spring-sample's jar) on Tomcat, Jetty or Reactor Netty.
 */
public enum DemoServerKind {

    /** Jetty 12: HTTP/1.1. */
    JETTY,
    /** Netty 4.2: HTTP/1.1 and h2c (prior knowledge or upgrade) on one port. */
    NETTY,
    /** grpc-java: the demo service ({@code Hello}, {@code Ticks}) and the standard health service. */
    GRPC,
    /** The Spring Boot sample (Spring MVC) on Tomcat, through baton-spring-boot-starter. */
    SPRING_TOMCAT,
    /** The Spring Boot sample (Spring MVC) on Jetty. */
    SPRING_JETTY,
    /** The Spring Boot sample (WebFlux) on Reactor Netty. */
    SPRING_WEBFLUX;

    /** The name on the command line: {@code jetty}, {@code netty}, {@code grpc}, {@code spring-tomcat}... */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether this is the Spring Boot sample, a jar of its own that the demo server starts ({@link SpringDemo}). */
    public boolean isSpring() {
        return name().startsWith("SPRING_");
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
