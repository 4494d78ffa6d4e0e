/**
 * Baton for gRPC (grpc-java on its Netty transport): a gRPC server on listeners handed over by Baton,
 * drained with GOAWAY so that no call fails across an upgrade.
 *
 * <p>What a drain guarantees:
 * <ul>
 *   <li>the server stops accepting by closing its own copy of each listener, never by
 *       {@code shutdown()}, so the successor holding the same socket goes on accepting; a connection
 *       accepted at the instant of the close is handed to gRPC and drained like any other;
 *   <li>every connection gets the two-step GOAWAY: calls the client sent before it learned of the
 *       drain are served here, new calls go to a new connection, which the successor accepts;
 *   <li>calls in flight finish normally; long-lived streams tracked by the {@link dev.baton.grpc.DrainSignal}
 *       end with UNAVAILABLE "going away", so the client calls again on the successor;
 *   <li>the health service ({@code grpc.health.v1.Health}) answers SERVING through a handover, and
 *       NOT_SERVING once a final stop begins;
 *   <li>what is still open at the drain timeout is cut by {@code shutdownNow()}, and counted.
 * </ul>
 */
package dev.baton.grpc;
