/**
 * The demo gRPC service Baton's demo server runs with {@code --server grpc}: {@code Hello} and
 * {@code Ticks}, and the messages a client reads from them.
 */
package dev.baton.grpc.demo;
