package dev.baton.spring;

/**
 * A step that must run before this generation says it is ready: define beans of this type to warm
 * up (fill caches, run requests against yourself through a loopback client, let the JIT compile).
 *
 * <p>They run, in {@link org.springframework.core.annotation.Order} order, on the main thread once the
 * application is ready ({@code ApplicationReadyEvent}, after the runners); then Baton's
 * {@code ready()} is called and the web server starts accepting. Meanwhile the predecessor, if any,
 * serves, so a warm-up costs no availability; it must end within {@code baton.ready-timeout}.
 * A warm-up that throws fails the start: a successor is then rolled back.
 */
@FunctionalInterface
public interface BatonWarmUp {

    /** Warms up; returns when this generation may serve. */
    void warmUp() throws Exception;
}
