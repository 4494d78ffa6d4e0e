package dev.baton.spring.sample;

import dev.baton.Baton;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The sample's REST API on Spring MVC (Tomcat, Jetty): who answers, and a slow request. */
@RestController
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class SampleController {

    static final long MAX_SLEEP_MILLIS = 60_000;

    private final String identity;

    /** With {@code baton.enabled=false} there is no Baton: generation 0, as a plain Spring Boot app. */
    SampleController(ObjectProvider<Baton> baton) {
        this.identity = identity(baton);
    }

    /** Who answers: this process and its generation. */
    static String identity(ObjectProvider<Baton> baton) {
        Baton generation = baton.getIfAvailable();
        return "pid=" + ProcessHandle.current().pid() + " generation="
                + (generation == null ? 0 : generation.generation());
    }

    /** The sleep a request asks for, checked. */
    static long sleepMillis(long ms) {
        if (ms < 0 || ms > MAX_SLEEP_MILLIS) {
            throw new IllegalArgumentException("ms must be 0 to " + MAX_SLEEP_MILLIS + ", not " + ms);
        }
        return ms;
    }

    @GetMapping("/")
    String whoAnswers() {
        return identity + "\n";
    }

    @GetMapping("/sleep")
    String sleep(@RequestParam(name = "ms", defaultValue = "1000") long ms) throws InterruptedException {
        Thread.sleep(sleepMillis(ms));
        return identity + " slept=" + ms + "\n";
    }
}
