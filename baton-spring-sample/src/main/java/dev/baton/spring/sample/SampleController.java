package dev.baton.spring.sample;

import dev.baton.Baton;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The sample's REST API: who answers, and a slow request. */
@RestController
class SampleController {

    private static final long MAX_SLEEP_MILLIS = 60_000;

    private final String identity;

    /** With {@code baton.enabled=false} there is no Baton: generation 0, as a plain Spring Boot app. */
    SampleController(ObjectProvider<Baton> baton) {
        Baton generation = baton.getIfAvailable();
        this.identity = "pid=" + ProcessHandle.current().pid() + " generation="
                + (generation == null ? 0 : generation.generation());
    }

    @GetMapping("/")
    String whoAnswers() {
        return identity + "\n";
    }

    @GetMapping("/sleep")
    String sleep(@RequestParam(name = "ms", defaultValue = "1000") long ms) throws InterruptedException {
        if (ms < 0 || ms > MAX_SLEEP_MILLIS) {
            throw new IllegalArgumentException("ms must be 0 to " + MAX_SLEEP_MILLIS + ", not " + ms);
        }
        Thread.sleep(ms);
        return identity + " slept=" + ms + "\n";
    }
}
