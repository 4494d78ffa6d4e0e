package dev.baton.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testing.ModuleDescriptors;
import java.lang.module.ModuleDescriptor;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Pins the module's contract: one exported package, unqualified; baton-core's public API and the Netty
 * modules it adapts, nothing else (baton-core's own ModuleTest pins that it exports no internal package here).
 */
class ModuleTest {

    @Test
    void moduleDescriptor_exportsOnlyTheAdapterPackage_andReadsBatonAndNetty() throws Exception {
        ModuleDescriptor descriptor = ModuleDescriptors.of(BatonNetty.class);

        assertThat(descriptor.name()).isEqualTo("dev.baton.netty");
        assertThat(descriptor.exports()).map(ModuleDescriptor.Exports::source).containsExactly("dev.baton.netty");
        assertThat(descriptor.exports()).allMatch(e -> !e.isQualified());
        assertThat(descriptor.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("java.base", "dev.baton", "io.netty.common", "io.netty.buffer",
                        "io.netty.transport", "io.netty.transport.unix.common", "io.netty.transport.classes.epoll",
                        "io.netty.codec", "io.netty.handler", "io.netty.codec.http", "io.netty.codec.http2");
    }
}
