package dev.baton.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testing.ModuleDescriptors;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Opens;
import java.lang.module.ModuleDescriptor.Requires;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Pins the module's contract: one exported package; the internals opened only to the modules that
 * instantiate them by name; Spring required, every server optional.
 */
class ModuleTest {

    private final ModuleDescriptor descriptor = ModuleDescriptors.of(BatonProperties.class);

    @Test
    void moduleDescriptor_exportsOnlyTheStarterPackage() {
        assertThat(descriptor.name()).isEqualTo("dev.baton.spring");
        assertThat(descriptor.exports()).map(ModuleDescriptor.Exports::source).containsExactly("dev.baton.spring");
        assertThat(descriptor.exports()).allMatch(e -> !e.isQualified());
    }

    @Test
    void moduleDescriptor_opensTheAutoConfigurationsToSpringAndTomcatOnly() {
        Map<String, Set<String>> opens = descriptor.opens().stream()
                .collect(Collectors.toMap(Opens::source, Opens::targets));
        Set<String> spring = Set.of("spring.core", "spring.beans", "spring.context");

        assertThat(opens).containsOnlyKeys("dev.baton.spring", "dev.baton.spring.tomcat", "dev.baton.spring.jetty",
                "dev.baton.spring.netty");
        assertThat(opens.get("dev.baton.spring")).containsExactlyInAnyOrder("spring.core", "spring.beans",
                "spring.context", "spring.boot");
        assertThat(opens.get("dev.baton.spring.tomcat")).containsExactlyInAnyOrder("spring.core", "spring.beans",
                "spring.context", "org.apache.tomcat.embed.core");
        assertThat(opens.get("dev.baton.spring.jetty")).containsExactlyInAnyOrderElementsOf(spring);
        assertThat(opens.get("dev.baton.spring.netty")).containsExactlyInAnyOrderElementsOf(spring);
    }

    @Test
    void moduleDescriptor_requiresBatonAndSpring_andEveryServerOnlyStatically() {
        Set<String> required = names(descriptor.requires().stream()
                .filter(r -> !r.modifiers().contains(Requires.Modifier.STATIC)).collect(Collectors.toSet()));
        Set<String> optional = names(descriptor.requires().stream()
                .filter(r -> r.modifiers().contains(Requires.Modifier.STATIC)).collect(Collectors.toSet()));

        assertThat(required).containsExactlyInAnyOrder("java.base", "dev.baton", "spring.beans", "spring.context",
                "spring.core", "spring.boot", "spring.boot.autoconfigure", "spring.boot.web.server");
        assertThat(optional).containsExactlyInAnyOrder("spring.boot.health",
                "spring.boot.tomcat", "org.apache.tomcat.embed.core",
                "spring.boot.jetty", "dev.baton.jetty", "org.eclipse.jetty.server",
                "spring.boot.reactor.netty", "spring.web", "dev.baton.netty", "reactor.core", "reactor.netty.core",
                "reactor.netty.http", "io.netty.transport", "io.netty.transport.classes.epoll", "io.netty.codec.http");
    }

    private static Set<String> names(Set<Requires> requires) {
        return requires.stream().map(Requires::name).collect(Collectors.toSet());
    }
}
