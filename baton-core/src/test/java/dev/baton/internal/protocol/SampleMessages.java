package dev.baton.internal.protocol;

import dev.baton.ServiceStatus;
import dev.baton.ServiceStatus.Mode;
import dev.baton.ServiceStatus.ProcessStatus;
import dev.baton.ServiceStatus.State;
import dev.baton.internal.protocol.Message.DrainReport;
import dev.baton.internal.protocol.Message.Handover;
import dev.baton.internal.protocol.Message.HandoverRequest;
import dev.baton.internal.protocol.Message.ListenerSpec;
import dev.baton.internal.protocol.Message.ProcessInfo;
import dev.baton.internal.protocol.Message.ReadyAck;
import dev.baton.internal.protocol.Message.ReadyNotice;
import dev.baton.internal.protocol.Message.Refused;
import dev.baton.internal.protocol.Message.ReloadRequest;
import dev.baton.internal.protocol.Message.ReloadResult;
import dev.baton.internal.protocol.Message.StatusReply;
import dev.baton.internal.protocol.Message.StatusRequest;
import dev.baton.internal.protocol.Message.StopAck;
import dev.baton.internal.protocol.Message.StopRequest;
import dev.baton.internal.protocol.Message.UpgradeSupervisorRequest;
import dev.baton.internal.protocol.Message.UpgradeSupervisorResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** One or more messages of every type, with edge values, for round-trip tests here and over sockets. */
public final class SampleMessages {

    private SampleMessages() {}

    /** A handover of {@code listeners} TCP listeners; it carries {@code listeners + 3} descriptors. */
    public static Handover handover(int listeners) {
        List<ListenerSpec> specs = new java.util.ArrayList<>();
        for (int i = 0; i < listeners; i++) {
            specs.add(new ListenerSpec("l" + i, "127.0.0.1:" + (8000 + i)));
        }
        return new Handover("svc", 3, specs, List.of(new ProcessInfo(4700, 2, "DRAINING", 1_700_000_000_000L)));
    }

    /** Every message type at least once; each decodes to itself. */
    public static List<Message> all() {
        return List.of(
                new HandoverRequest(4711),
                new HandoverRequest(Long.MAX_VALUE),
                handover(2),
                new Handover("", Integer.MIN_VALUE, List.of(), List.of()),
                new Handover("app.v2_1-x", 7,
                        List.of(new ListenerSpec("http", ":8080"), new ListenerSpec("admin", "unix:/run/app/a.sock"),
                                new ListenerSpec("v6", "[::1]:8443")),
                        List.of(new ProcessInfo(1, 1, "DRAINING", 0), new ProcessInfo(-1, -1, "", Long.MIN_VALUE))),
                new ReadyNotice(List.of("http", "admin")),
                new ReadyNotice(List.of()),
                new ReadyAck(),
                new ReadyAck(new ServiceStatus.Figures(3, 1, 2, Optional.of(Duration.ofMillis(812)),
                        Optional.of(Duration.ofMillis(30_000)), 7, 0)),
                new DrainReport(2, 4700, 1234, 0),
                new DrainReport(Integer.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE),
                new ReloadRequest(),
                new ReloadResult(true, 4711, 4712, 4, 812, "generation 4 (pid 4712) serves", List.of()),
                new ReloadResult(false, 4711, 4713, 5, 60_000,
                        "successor pid 4713 exited with status 1 before it was ready; still serving as pid 4711",
                        List.of("Exception in thread \"main\" java.lang.Error: boom", "\tat Main.main(Main.java:3)",
                                "ünïcødé ✓ 𝄞", "")),
                new StatusRequest(),
                new StatusReply(new ServiceStatus(4711, "svc", Mode.IN_PROCESS, State.SERVING, List.of("http=:8080"),
                        List.of(new ProcessStatus(4711, 3, State.SERVING, Instant.ofEpochMilli(1_700_000_000_123L)),
                                new ProcessStatus(4700, 2, State.DRAINING, Instant.ofEpochMilli(1_700_000_000_000L))),
                        "generation 3 (pid 4711) ready in 812 ms", new ServiceStatus.Figures(2, 0, 0,
                        Optional.of(Duration.ofMillis(812)), Optional.empty(), 0, 1))),
                new StatusReply(new ServiceStatus(0, "x", Mode.SUPERVISED, State.RESTARTING, List.of(), List.of(), "")),
                new StopRequest(true),
                new StopRequest(false),
                new StopAck(4711),
                new Refused("permission denied: uid 65534 may not control this service, which belongs to uid 0"),
                new Refused(""),
                new UpgradeSupervisorRequest(),
                new UpgradeSupervisorResult(true, 4711, 2, 640,
                        "supervisor pid 4711 re-executed in place in 640 ms; 2 workers kept"),
                new UpgradeSupervisorResult(false, 4711, 1, 3,
                        "execve(/opt/jdk/bin/java) failed: ENOENT (No such file or directory); still serving"),
                new UpgradeSupervisorResult(false, 0, 0, 0, ""));
    }
}
