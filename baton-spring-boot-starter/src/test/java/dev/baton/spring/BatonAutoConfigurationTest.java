package dev.baton.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.Baton;
import dev.baton.BatonOptions;
import dev.baton.GenerationState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The auto-configuration in a real context, with a real Baton (its control socket in a temporary directory). */
class BatonAutoConfigurationTest {

    @TempDir
    Path control;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(BatonAutoConfiguration.class))
                .withPropertyValues("baton.control-directory=" + control, "baton.exit-on-stop=false");
    }

    @Test
    void autoConfiguration_noBatonBean_opensOneNamedByTheProperties() {
        runner().withPropertyValues("baton.name=auto-" + ProcessHandle.current().pid()).run(context -> {
            Baton baton = context.getBean(Baton.class);
            try {
                assertThat(baton.state()).isEqualTo(GenerationState.STARTING);
                assertThat(baton.generation()).isEqualTo(1);
                assertThat(baton.controlSocket()).contains(control.resolve("auto-" + ProcessHandle.current().pid()
                        + ".sock"));
                assertThat(context).hasSingleBean(BatonWebServers.class).hasBean("batonHealthIndicator");
            } finally {
                baton.close();
            }
        });
    }

    @Test
    void autoConfiguration_userDefinedBaton_backsOff() {
        runner().withUserConfiguration(UserBaton.class).run(context -> {
            Baton baton = context.getBean(Baton.class);
            try {
                assertThat(context).hasSingleBean(Baton.class);
                assertThat(baton.controlSocket()).contains(control.resolve("user-defined.sock"));
            } finally {
                baton.close();
            }
        });
    }

    @Test
    void autoConfiguration_disabled_definesNothing() {
        runner().withPropertyValues("baton.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean(Baton.class).doesNotHaveBean(BatonWebServers.class));
    }

    @Test
    void properties_toOptions_carryEverySetting() {
        BatonProperties properties = new BatonProperties();
        properties.setName("shop");
        properties.setPidfile(Path.of("/run/shop.pid"));
        properties.setReadyTimeout(Duration.ofSeconds(90));
        properties.setDrainTimeout(Duration.ofSeconds(12));
        properties.setStopTimeout(Duration.ofSeconds(3));
        properties.setMaxDraining(4);
        BatonOptions options = properties.toOptions();
        assertThat(options.name()).isEqualTo("shop");
        assertThat(options.pidFile()).isEqualTo(Path.of("/run/shop.pid"));
        assertThat(options.readyTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(options.drainTimeout()).isEqualTo(Duration.ofSeconds(12));
        assertThat(options.stopTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(options.maxDrainingGenerations()).isEqualTo(4);
    }

    @Test
    void properties_invalidValue_refusedNamingTheSetting() {
        BatonProperties properties = new BatonProperties();
        properties.setMaxDraining(0);
        org.assertj.core.api.Assertions.assertThatThrownBy(properties::toOptions)
                .hasMessageContaining("maxDrainingGenerations").hasMessageContaining("0");
    }

    @Configuration(proxyBeanMethods = false)
    static class UserBaton {
        @Bean
        Baton baton(@Value("${baton.control-directory}") Path directory) throws IOException {
            return Baton.open(BatonOptions.defaults().withName("user-defined").withControlDirectory(directory));
        }
    }
}
