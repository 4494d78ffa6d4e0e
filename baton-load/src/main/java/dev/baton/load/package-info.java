/**
 * A closed-loop HTTP/1.1 load generator that counts every failed request by kind and never retries.
 *
 * <p>It is the measurement behind Baton's guarantee: while a server restarts under this load, no
 * connection is refused, none is reset, and no request fails. Each of {@code connections} workers
 * sends one request, waits for the complete answer, then sends the next; a failure is counted,
 * classified ({@link dev.baton.load.FailureKind}) and never retried, and the worker goes on with a
 * new connection. The client speaks raw HTTP/1.1 over {@link java.net.Socket}, so no library hides
 * a failure behind a retry or a connection pool.
 *
 * <pre>{@code
 * LoadOptions options = LoadOptions.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080))
 *         .withDuration(Duration.ofSeconds(20));
 * try (LoadRun run = LoadGenerator.start(options)) {
 *     // ... upgrade the server meanwhile, print run.snapshot().toProgressLine() every second ...
 *     LoadReport report = run.awaitEnd();
 *     System.out.print(report.toTable());
 * }
 * }</pre>
 *
 * <p>The target is always given explicitly: there is no default host.
 */
package dev.baton.load;
