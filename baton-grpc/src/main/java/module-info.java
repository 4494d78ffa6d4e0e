/**
 * Baton for gRPC: grpc-java servers on Baton listeners, drained with GOAWAY, with the standard health
 * service. Exports {@link dev.baton.grpc} and the demo service, {@link dev.baton.grpc.demo}.
 *
 * <p>grpc-java's jars are automatic modules (their manifests name {@code io.grpc}, {@code io.grpc.netty},
 * {@code io.grpc.services}, {@code io.grpc.stub}, {@code io.grpc.protobuf}; protobuf-java names
 * {@code com.google.protobuf}); Netty 4.2's jars carry real descriptors ({@code io.netty.transport}...).
 */
module dev.baton.grpc {
    requires transitive dev.baton;
    requires transitive io.grpc;
    requires transitive io.grpc.netty;
    requires transitive io.grpc.services;
    requires transitive io.grpc.stub;
    requires transitive com.google.protobuf;
    requires io.grpc.protobuf;
    requires io.netty.common;
    requires io.netty.transport;
    // grpc-java's classes carry Error Prone annotations, which javac reads; nothing needs them at run time.
    requires static com.google.errorprone.annotations;

    exports dev.baton.grpc;
    exports dev.baton.grpc.demo;
}
