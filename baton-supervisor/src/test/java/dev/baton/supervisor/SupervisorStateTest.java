package dev.baton.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The state a supervisor carries across its execve: encoded, and read back strictly (untrusted input). */
class SupervisorStateTest {

    private static final long PID = 4711;

    static SupervisorState sample() {
        return new SupervisorState(PID, 1_700_000_000_000L, "baton upgrade-supervisor (pid 99)", 4, 800,
                "worker 3 (pid 4800) is ready after 812 ms; worker 2 (pid 4790) drains, ünïcødé, = , ;", 7, 9,
                List.of(new SupervisorState.Listener("http", ":8080", 10, null, false),
                        new SupervisorState.Listener("admin", "unix:/run/app/a b.sock", 11, "/run/app/a b.sock", true)),
                List.of(new SupervisorState.CarriedWorker(4800, 3, "serving", 1_700_000_000_100L, 5000, 0, 12, 13, 14,
                                "/tmp/baton/svc.worker-3.notify", false),
                        new SupervisorState.CarriedWorker(4790, 2, "draining", 1_700_000_000_000L, 9000,
                                1_700_000_030_000L, 15, -1, -1, null, true)));
    }

    @Test
    void parse_encodedState_returnsAnEqualState() {
        SupervisorState state = sample();

        String encoded = state.encode();

        assertThat(encoded).startsWith("baton-supervisor-state/1 pid=4711 ").doesNotContain("\n", "\0");
        assertThat(SupervisorState.parse(encoded, PID)).isEqualTo(state);
        assertThat(state.descriptors()).containsExactly(7, 9, 10, 11, 12, 13, 14, 15);
    }

    @Test
    void parse_noWorkersNoReplyConnection_roundTrips() {
        SupervisorState state = new SupervisorState(PID, 0, "SIGUSR1", 1, 100, "none", 3, -1,
                List.of(new SupervisorState.Listener("h", "127.0.0.1:1", 4, null, false)), List.of());

        assertThat(SupervisorState.parse(state.encode(), PID)).isEqualTo(state);
    }

    @Test
    void parse_stateOfAnotherPid_refusedAsLeftOver() {
        assertThatThrownBy(() -> SupervisorState.parse(sample().encode(), 4712))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("BATON_SUPERVISOR_STATE is invalid: it was written for pid 4711, and this is pid 4712: "
                        + "it is left over from another supervisor; unset BATON_SUPERVISOR_STATE");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|it does not start with 'baton-supervisor-state/1'",
        "garbage|it does not start with 'baton-supervisor-state/1'",
        "baton-supervisor-state/2 pid=4711|written by another version of Baton",
        "baton-supervisor-state/1|field 'pid' is missing",
        "baton-supervisor-state/1 pid=4711 pid=4711|field 'pid' appears twice",
        "baton-supervisor-state/1 colour=blue|unknown field 'colour'",
        "baton-supervisor-state/1 nonsense|field 1 is not KEY=VALUE",
        "baton-supervisor-state/1  pid=1|field 1 is not KEY=VALUE",
    })
    void parse_malformed_refusedSayingWhy(String value, String why) {
        assertThatThrownBy(() -> SupervisorState.parse(value, PID))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("BATON_SUPERVISOR_STATE is invalid: ")
                .hasMessageContaining(why);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "control-fd=7|control-fd=2|control-fd 2 is outside 3 to 1048576",
        "control-fd=7|control-fd=x7|control-fd 'x7' is not a number",
        "control-fd=7|control-fd=99999999999999999999|control-fd '99999999999999999999' is not a number",
        "reply-fd=9|reply-fd=10|a descriptor is named twice",
        "next-generation=4|next-generation=3|worker generation 3 is outside 1 to 2",
        ",serving,|,starting,|worker state 'starting' is not one of",
        ",draining,|,serving,|2 workers are serving; at most one may",
        "worker=4790,|worker=4800,|worker pid 4800 appears twice",
        "worker=4790,|worker=4711,|worker pid 4711 appears twice or is the supervisor's",
        "worker=4790,|worker=1,|worker pid 1 is outside 2 to",
        ",0 listener=admin,|,0 listener=http,|listener 'http' appears twice",
        "listener=http,|listener=h/ttp,|listener name 'h/ttp' is not",
        ",1 worker=4800,|,2 worker=4800,|listener activated '2' is not 0 or 1",
        ",12,13,14,|,12,13,-1,|has a notify fd without a path",
        ",12,13,14,|,12,13,14,12,|a worker has 12 parts, not 11",
        "trigger=|trigger=*|trigger is not base64url",
        "pid=4711|pid=-4711|pid -4711 is outside 1 to",
    })
    void parse_invalidField_refusedNamingIt(String from, String to, String why) {
        String encoded = sample().encode();
        assertThat(encoded).contains(from);

        String tampered = encoded.replaceFirst(java.util.regex.Pattern.quote(from),
                java.util.regex.Matcher.quoteReplacement(to));

        assertThatThrownBy(() -> SupervisorState.parse(tampered, PID))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("BATON_SUPERVISOR_STATE is invalid: ")
                .hasMessageContaining(why);
    }

    @Test
    void parse_noListener_refused() {
        String encoded = new SupervisorState(PID, 0, "t", 1, 100, "none", 3, -1,
                List.of(new SupervisorState.Listener("h", "a", 4, null, false)), List.of()).encode();

        assertThatThrownBy(() -> SupervisorState.parse(encoded.replaceAll(" listener=[^ ]*", ""), PID))
                .hasMessageContaining("0 listeners; expected 1 to 64");
    }

    @Test
    void parse_textThatIsNotUtf8OrHoldsNul_refused() {
        String encoded = sample().encode();
        String notUtf8 = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[] {(byte) 0xff});
        String nul = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[] {'a', 0});
        String trigger = encoded.substring(encoded.indexOf("trigger=") + 8, encoded.indexOf(' ',
                encoded.indexOf("trigger=")));

        assertThatThrownBy(() -> SupervisorState.parse(encoded.replace(trigger, notUtf8), PID))
                .hasMessageContaining("trigger is not UTF-8");
        assertThatThrownBy(() -> SupervisorState.parse(encoded.replace(trigger, nul), PID))
                .hasMessageContaining("trigger contains a NUL character");
        assertThatThrownBy(() -> SupervisorState.parse(encoded.replace(trigger, "~"), PID))
                .hasMessageContaining("trigger is missing");
    }

    @Test
    void parse_oversized_refusedBeforeReadingIt() {
        assertThatThrownBy(() -> SupervisorState.parse("x".repeat(SupervisorState.MAX_CHARS + 1), PID))
                .hasMessageContaining("more than " + SupervisorState.MAX_CHARS);
    }
}
