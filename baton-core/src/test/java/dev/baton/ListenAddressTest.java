package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ListenAddressTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            :8080            | ''        | 8080  | :8080
            *:8080           | ''        | 8080  | :8080
            0.0.0.0:8080     | 0.0.0.0   | 8080  | 0.0.0.0:8080
            127.0.0.1:0      | 127.0.0.1 | 0     | 127.0.0.1:0
            [::1]:8080       | ::1       | 8080  | [::1]:8080
            [::]:443         | ::        | 443   | [::]:443
            localhost:80     | localhost | 80    | localhost:80
            :65535           | ''        | 65535 | :65535
            ' 10.0.0.1:80 '  | 10.0.0.1  | 80    | 10.0.0.1:80
            """)
    void parse_tcpForm_readsHostAndPortAndWritesItBack(String text, String host, int port, String written) {
        ListenAddress address = ListenAddress.parse(text);

        assertThat(address).isEqualTo(new ListenAddress.Tcp(host, port));
        assertThat(address).hasToString(written);
        assertThat(ListenAddress.parse(address.toString())).isEqualTo(address);
    }

    @ParameterizedTest
    @CsvSource({"unix:/tmp/x.sock, /tmp/x.sock", "unix:relative/x.sock, relative/x.sock", "unix:/run/a b.sock, /run/a b.sock"})
    void parse_unixForm_readsThePathAndWritesItBack(String text, String path) {
        ListenAddress address = ListenAddress.parse(text);

        assertThat(address).isEqualTo(new ListenAddress.Unix(Path.of(path)));
        assertThat(address).hasToString(text);
        assertThat(ListenAddress.parse(address.toString())).isEqualTo(address);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            8080        | expected HOST:PORT, :PORT or unix:PATH
            ''          | expected HOST:PORT, :PORT or unix:PATH
            :           | the port '' is not a number from 0 to 65535
            :65536      | the port 65536 is above 65535
            :99999      | the port 99999 is above 65535
            :123456     | the port '123456' is not a number from 0 to 65535
            :-1         | the port '-1' is not a number from 0 to 65535
            :+80        | the port '+80' is not a number from 0 to 65535
            host:abc    | the port 'abc' is not a number from 0 to 65535
            host:80x    | the port '80x' is not a number from 0 to 65535
            ::1:80      | an IPv6 address must be written in brackets, as [::1]:8080
            [::1        | an IPv6 address must be written in brackets, as [::1]:8080
            []:80       | an IPv6 address must be written in brackets, as [::1]:8080
            [::1]x:80   | an IPv6 address must be written in brackets, as [::1]:8080
            unix:       | the Unix socket path is empty
            """)
    void parse_invalidText_refusedNamingTheTextAndWhy(String text, String why) {
        assertThatThrownBy(() -> ListenAddress.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid listen address '" + text + "': " + why);
    }

    @ParameterizedTest
    @CsvSource({"-1", "65536"})
    void tcp_portOutOfRange_refusedNamingThePort(int port) {
        assertThatThrownBy(() -> new ListenAddress.Tcp("", port))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port " + port + " is outside 0-65535");
    }
}
