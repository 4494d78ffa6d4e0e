package dev.baton.spring.sample;

import dev.baton.spring.BatonWarmUp;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What the sample does before it serves: an optional warm-up, and a failure on demand. */
@Configuration(proxyBeanMethods = false)
class SampleStartup {

    /** Fails the context when {@code sample.fail-on-start} is set: a successor that cannot start. */
    @Bean
    Object startupCheck(SampleProperties properties) {
        if (properties.failOnStart()) {
            throw new IllegalStateException("sample.fail-on-start is set: this generation refuses to start");
        }
        return "started";
    }

    /** Waits {@code sample.warm-up} before Baton's ready(), as a real warm-up would take time. */
    @Bean
    BatonWarmUp sampleWarmUp(SampleProperties properties) {
        return () -> {
            if (properties.warmUp().isPositive()) {
                System.getLogger(SampleStartup.class.getName()).log(System.Logger.Level.INFO,
                        "warming up for " + properties.warmUp() + " (pid " + ProcessHandle.current().pid() + ")");
                Thread.sleep(properties.warmUp());
            }
        };
    }
}
