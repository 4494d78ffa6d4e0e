package dev.baton.grpc.demo;

import com.google.protobuf.Struct;
import com.google.protobuf.StringValue;
import com.google.protobuf.Value;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.protobuf.ProtoUtils;
import java.time.Duration;
import java.util.Objects;

/**
 * The demo gRPC service's contract, {@code baton.demo.v1.Demo}: a unary {@code Hello} answering the
 * pid and generation that served it, and a server-streaming {@code Ticks} sending one numbered
 * message per interval; with the messages' Java form for clients.
 *
 * <p>The methods are described by hand, with protobuf's well-known types ({@code StringValue},
 * {@code Struct}) as messages, instead of generated from a {@code .proto} file: the grpc-java code
 * generator ({@code protoc-gen-grpc-java}) is a native binary that this build cannot fetch for every
 * platform, and two methods do not need it. A generated client of the same {@code .proto}
 * ({@code rpc Hello(google.protobuf.StringValue) returns (google.protobuf.Struct)}, {@code rpc
 * Ticks(google.protobuf.Struct) returns (stream google.protobuf.Struct)}) calls it unchanged.
 */
public final class DemoGrpc {

    /** The service's full name. */
    public static final String SERVICE_NAME = "baton.demo.v1.Demo";

    /** {@code Hello}: the request is a name, the answer a {@link Hello}. */
    public static final MethodDescriptor<StringValue, Struct> HELLO = MethodDescriptor.<StringValue, Struct>newBuilder()
            .setType(MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE_NAME, "Hello"))
            .setRequestMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
            .setResponseMarshaller(ProtoUtils.marshaller(Struct.getDefaultInstance()))
            .setIdempotent(true)
            .build();

    /** {@code Ticks}: the request is {@link #ticksRequest}, each message a {@link Tick}. */
    public static final MethodDescriptor<Struct, Struct> TICKS = MethodDescriptor.<Struct, Struct>newBuilder()
            .setType(MethodType.SERVER_STREAMING)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE_NAME, "Ticks"))
            .setRequestMarshaller(ProtoUtils.marshaller(Struct.getDefaultInstance()))
            .setResponseMarshaller(ProtoUtils.marshaller(Struct.getDefaultInstance()))
            .build();

    static final String PID = "pid";
    static final String GENERATION = "generation";
    static final String GREETING = "greeting";
    static final String TICK = "tick";
    static final String FROM = "from";
    static final String INTERVAL_MILLIS = "intervalMillis";
    static final String COUNT = "count";

    private DemoGrpc() {}

    /** A {@code Hello} request. */
    public static StringValue helloRequest(String name) {
        return StringValue.of(Objects.requireNonNull(name, "name"));
    }

    /**
     * A {@code Ticks} request: ticks numbered from {@code from}, one per {@code interval}, the first at
     * once; {@code count} of them, then the stream completes, or without end if {@code count} is 0.
     * A client that resubscribes after a going-away status asks from the tick after the last it saw.
     */
    public static Struct ticksRequest(long from, Duration interval, long count) {
        return Struct.newBuilder()
                .putFields(FROM, numberValue(from))
                .putFields(INTERVAL_MILLIS, numberValue(interval.toMillis()))
                .putFields(COUNT, numberValue(count))
                .build();
    }

    /** The answer to {@code Hello}: who served it. */
    public record Hello(long pid, int generation, String greeting) {

        /** Reads an answer. */
        public static Hello of(Struct message) {
            return new Hello(longField(message, PID), (int) longField(message, GENERATION),
                    message.getFieldsOrDefault(GREETING, Value.getDefaultInstance()).getStringValue());
        }

        Struct toMessage() {
            return Struct.newBuilder()
                    .putFields(PID, numberValue(pid))
                    .putFields(GENERATION, numberValue(generation))
                    .putFields(GREETING, Value.newBuilder().setStringValue(greeting).build())
                    .build();
        }
    }

    /** One message of {@code Ticks}: its number and who sent it. */
    public record Tick(long number, long pid, int generation) {

        /** Reads a message. */
        public static Tick of(Struct message) {
            return new Tick(longField(message, TICK), longField(message, PID), (int) longField(message, GENERATION));
        }

        Struct toMessage() {
            return Struct.newBuilder()
                    .putFields(TICK, numberValue(number))
                    .putFields(PID, numberValue(pid))
                    .putFields(GENERATION, numberValue(generation))
                    .build();
        }
    }

    static long longField(Struct message, String name) {
        return (long) message.getFieldsOrDefault(name, numberValue(0)).getNumberValue();
    }

    private static Value numberValue(long value) {
        return Value.newBuilder().setNumberValue(value).build();
    }
}
