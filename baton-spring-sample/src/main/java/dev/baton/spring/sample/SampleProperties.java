package dev.baton.spring.sample;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The sample's own settings, read by every generation as it starts (so a changed config file, named by
 * {@code --spring.config.additional-location}, applies to the next upgrade).
 *
 * @param failOnStart make the context fail to start (a bean that throws), to show a rollback
 * @param warmUp how long to warm up before saying ready
 */
@ConfigurationProperties("sample")
public record SampleProperties(boolean failOnStart, Duration warmUp) {

    public SampleProperties {
        warmUp = warmUp == null ? Duration.ZERO : warmUp;
    }
}
