package dev.baton.internal.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.internal.os.PeerCredentials;
import dev.baton.internal.os.Processes;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Who is served when every control slot is taken: a child of this process (a successor come for its
 * handover, here a real {@code sleep} started by the test) still is; any other peer of the same user, this
 * process itself included, is refused with the limit named. Another uid is refused whatever is open.
 */
class AdmissionTest {

    private static final int MAX = 32;

    @Test
    void check_everySlotTaken_aChildOfThisProcessIsServed_anyOtherPeerRefused() throws Exception {
        int uid = Processes.userId();
        Process child = new ProcessBuilder("sleep", "30").start();
        try {
            PeerCredentials successor = new PeerCredentials(child.pid(), uid, 0);
            PeerCredentials client = new PeerCredentials(ProcessHandle.current().pid(), uid, 0);

            assertThat(Admission.check(successor, uid, MAX + 1, MAX)).isEmpty();
            assertThat(Admission.check(client, uid, MAX + 1, MAX)).hasValueSatisfying(refusal ->
                    assertThat(refusal.reason()).contains("too many control connections", "32"));
            assertThat(Admission.check(client, uid, MAX, MAX)).isEmpty();
            assertThat(Admission.check(new PeerCredentials(child.pid(), uid + 1, 0), uid, 1, MAX))
                    .as("another uid, even a child's").isPresent();
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
