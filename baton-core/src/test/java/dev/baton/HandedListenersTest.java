package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.internal.protocol.Message.ListenerSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandedListenersTest {

    @Test
    void describeThenParse_givesTheSameListenersInOrder_whateverTheirNamesHold() {
        List<ListenerSpec> specs = List.of(new ListenerSpec("http", "127.0.0.1:8080"),
                new ListenerSpec("odd,name=x", "[::1]:8443"), new ListenerSpec("admin", "unix:/run/app/admin sock"));

        String value = HandedListeners.describe(specs);

        assertThat(value).doesNotContain(" ");
        assertThat(HandedListeners.parse(value)).isEqualTo(specs);
    }

    @Test
    void parse_nothingOrMalformed_namesNoListener() {
        assertThat(HandedListeners.parse(null)).isEmpty();
        assertThat(HandedListeners.parse("")).isEmpty();
        assertThat(HandedListeners.parse("http=127.0.0.1%3A80,no-equals-sign")).as("one bad entry spoils all")
                .isEmpty();
        assertThat(HandedListeners.parse("http=%zz")).isEmpty();
    }
}
