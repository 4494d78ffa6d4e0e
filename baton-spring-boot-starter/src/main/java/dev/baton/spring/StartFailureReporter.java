package dev.baton.spring;

import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Prints, in one short line, why a Baton successor failed to start, so that the predecessor's upgrade
 * report (the successor's last lines) names the cause: Spring Boot's own report is a long stack trace
 * whose lines the report may cut. Registered in {@code META-INF/spring.factories}, since a context that
 * failed to refresh has no bean to publish to.
 */
public final class StartFailureReporter implements ApplicationListener<ApplicationFailedEvent> {

    /** Set in a successor's environment by its predecessor. */
    private static final String SUCCESSOR_VARIABLE = "BATON_UPGRADE_SOCKET";

    @Override
    public void onApplicationEvent(ApplicationFailedEvent event) {
        if (System.getenv(SUCCESSOR_VARIABLE) == null) {
            return;
        }
        Throwable root = event.getException();
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        System.err.println("baton: this generation failed to start: " + root.getClass().getSimpleName() + ": "
                + root.getMessage());
        System.err.flush();
    }
}
