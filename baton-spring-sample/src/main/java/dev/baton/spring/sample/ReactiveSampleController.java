package dev.baton.spring.sample;

import dev.baton.Baton;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The same REST API on WebFlux (profile "webflux"): the slow request waits without blocking an event loop. */
@RestController
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
class ReactiveSampleController {

    private final String identity;

    ReactiveSampleController(ObjectProvider<Baton> baton) {
        this.identity = SampleController.identity(baton);
    }

    @GetMapping("/")
    String whoAnswers() {
        return identity + "\n";
    }

    @GetMapping("/sleep")
    Mono<String> sleep(@RequestParam(name = "ms", defaultValue = "1000") long ms) {
        long millis = SampleController.sleepMillis(ms);
        return Mono.delay(Duration.ofMillis(millis)).map(ignored -> identity + " slept=" + millis + "\n");
    }
}
