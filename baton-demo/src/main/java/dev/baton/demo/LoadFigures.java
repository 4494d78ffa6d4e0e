package dev.baton.demo;

import dev.baton.load.Latency;
import java.util.Objects;
import java.util.Optional;

/**
 * The headline figures of one load of the demo job, the same for every server, to set two loads side by side.
 *
 * @param requests the requests or calls that ended, answered or failed
 * @param failures those that failed
 * @param throughput the requests or calls per second
 * @param latency the latency of the answered ones, if the load measures it (the HTTP/1.1 and gRPC loads do; the HTTP/2 and WebSocket ones not yet)
 * @param generations how many generations of the server answered
 */
public record LoadFigures(long requests, long failures, double throughput, Optional<Latency> latency, int generations) {

    public LoadFigures {
        Objects.requireNonNull(latency, "latency");
    }
}
