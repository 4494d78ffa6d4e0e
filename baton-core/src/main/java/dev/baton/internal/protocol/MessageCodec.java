package dev.baton.internal.protocol;

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
import dev.baton.ServiceStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Encodes and decodes control messages: one message per SOCK_SEQPACKET packet.
 *
 * <p>A packet is a header (the magic {@code 'B' 'T'}, the protocol version and the message type, two
 * bytes each, big-endian) and the message's fields in order: integers big-endian, strings as a
 * two-byte length and UTF-8, lists as a two-byte count and their elements. Every length and count has
 * a bound, and decoding refuses anything malformed, truncated, oversized or trailing. Hand-written
 * because the core depends on nothing beyond the JDK and the format is a dozen small records.
 */
public final class MessageCodec {

    /**
     * The protocol version this Baton speaks. Version 2 added the service's figures to {@code StatusReply}
     * and {@code ReadyAck}, and {@code DrainReport}.
     */
    public static final int VERSION = 2;
    /** The largest packet either side sends or accepts. */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024;
    /** The most descriptors one message may carry. */
    public static final int MAX_DESCRIPTORS = 64;

    static final int MAGIC = 0x4254;
    static final int MAX_STRING_BYTES = 4096;
    static final int MAX_LIST_SIZE = 256;

    private MessageCodec() {}

    public static byte[] encode(Message message) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeShort(MAGIC);
            out.writeShort(VERSION);
            out.writeShort(typeOf(message));
            writeFields(out, message);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        if (bytes.size() > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException(
                    "control message of " + bytes.size() + " bytes exceeds " + MAX_MESSAGE_BYTES + " bytes");
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes one packet.
     *
     * @throws ProtocolException if the packet is not a well-formed message of this version
     */
    public static Message decode(byte[] packet) throws ProtocolException {
        if (packet.length > MAX_MESSAGE_BYTES) {
            throw new ProtocolException("control message of " + packet.length + " bytes exceeds "
                    + MAX_MESSAGE_BYTES + " bytes");
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(packet));
        try {
            if (packet.length < 6) {
                throw new ProtocolException("control message of " + packet.length
                        + " bytes is shorter than its 6-byte header");
            }
            int magic = in.readUnsignedShort();
            if (magic != MAGIC) {
                throw new ProtocolException(String.format(
                        "not a Baton control message (starts with 0x%04x, expected 0x%04x)", magic, MAGIC));
            }
            int version = in.readUnsignedShort();
            if (version != VERSION) {
                throw new ProtocolException("unsupported protocol version " + version + "; this Baton speaks version "
                        + VERSION);
            }
            int type = in.readUnsignedShort();
            Message message = readFields(in, type);
            if (in.available() > 0) {
                throw new ProtocolException(in.available() + " unexpected bytes after a "
                        + message.getClass().getSimpleName() + " message");
            }
            return message;
        } catch (EOFException e) {
            throw new ProtocolException("truncated control message (" + packet.length + " bytes)", e);
        } catch (ProtocolException e) {
            throw e;
        } catch (IOException e) {
            throw new ProtocolException("malformed control message: " + e.getMessage(), e);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ProtocolException("invalid control message: " + e.getMessage(), e);
        }
    }

    private static int typeOf(Message message) {
        return switch (message) {
            case HandoverRequest _ -> 1;
            case Handover _ -> 2;
            case ReadyNotice _ -> 3;
            case ReadyAck _ -> 4;
            case ReloadRequest _ -> 5;
            case ReloadResult _ -> 6;
            case StatusRequest _ -> 7;
            case StatusReply _ -> 8;
            case StopRequest _ -> 9;
            case StopAck _ -> 10;
            case Refused _ -> 11;
            case UpgradeSupervisorRequest _ -> 12;
            case UpgradeSupervisorResult _ -> 13;
            case DrainReport _ -> 14;
        };
    }

    private static void writeFields(DataOutputStream out, Message message) throws IOException {
        switch (message) {
            case HandoverRequest m -> out.writeLong(m.pid());
            case Handover m -> {
                writeString(out, m.name());
                out.writeInt(m.generation());
                writeList(out, m.listeners(), MessageCodec::writeListener);
                writeList(out, m.draining(), MessageCodec::writeProcess);
            }
            case ReadyNotice m -> writeList(out, m.claimed(), MessageCodec::writeString);
            case ReadyAck m -> writeFigures(out, m.figures());
            case ReloadRequest _, StatusRequest _, UpgradeSupervisorRequest _ -> { }
            case ReloadResult m -> {
                out.writeBoolean(m.succeeded());
                out.writeLong(m.servingPid());
                out.writeLong(m.pid());
                out.writeInt(m.generation());
                out.writeLong(m.readyMillis());
                writeString(out, m.message());
                writeList(out, m.output(), MessageCodec::writeString);
            }
            case StatusReply m -> {
                ServiceStatus status = m.status();
                out.writeLong(status.pid());
                writeString(out, status.name());
                writeString(out, status.mode().toString());
                writeString(out, status.state().toString());
                writeList(out, status.listeners().stream().map(ListenerSpec::ofText).toList(),
                        MessageCodec::writeListener);
                writeList(out, status.processes().stream().map(ProcessInfo::of).toList(), MessageCodec::writeProcess);
                writeString(out, status.lastReload());
                writeFigures(out, status.figures());
            }
            case StopRequest m -> out.writeBoolean(m.now());
            case StopAck m -> out.writeLong(m.pid());
            case Refused m -> writeString(out, m.reason());
            case UpgradeSupervisorResult m -> {
                out.writeBoolean(m.succeeded());
                out.writeLong(m.pid());
                out.writeInt(m.workers());
                out.writeLong(m.elapsedMillis());
                writeString(out, m.message());
            }
            case DrainReport m -> {
                out.writeInt(m.generation());
                out.writeLong(m.pid());
                out.writeLong(m.drainMillis());
                out.writeInt(m.hammered());
            }
        }
    }

    private static Message readFields(DataInputStream in, int type) throws IOException {
        return switch (type) {
            case 1 -> new HandoverRequest(in.readLong());
            case 2 -> new Handover(readString(in), in.readInt(), readList(in, MessageCodec::readListener),
                    readList(in, MessageCodec::readProcess));
            case 3 -> new ReadyNotice(readList(in, MessageCodec::readString));
            case 4 -> new ReadyAck(readFigures(in));
            case 5 -> new ReloadRequest();
            case 6 -> new ReloadResult(readBoolean(in), in.readLong(), in.readLong(), in.readInt(), in.readLong(), readString(in),
                    readList(in, MessageCodec::readString));
            case 7 -> new StatusRequest();
            case 8 -> readStatus(in);
            case 9 -> new StopRequest(readBoolean(in));
            case 10 -> new StopAck(in.readLong());
            case 11 -> new Refused(readString(in));
            case 12 -> new UpgradeSupervisorRequest();
            case 13 -> new UpgradeSupervisorResult(readBoolean(in), in.readLong(), in.readInt(), in.readLong(),
                    readString(in));
            case 14 -> new DrainReport(in.readInt(), in.readLong(), in.readLong(), in.readInt());
            default -> throw new ProtocolException("unknown control message type " + type);
        };
    }

    /** A status as it travels: the words {@code baton status} prints ({@code supervised}, {@code serving}). */
    private static StatusReply readStatus(DataInputStream in) throws IOException {
        long pid = in.readLong();
        String name = readString(in);
        ServiceStatus.Mode mode = StatusReply.mode(readString(in));
        ServiceStatus.State state = StatusReply.state(readString(in));
        List<String> listeners = readList(in, MessageCodec::readListener).stream().map(ListenerSpec::text).toList();
        List<ServiceStatus.ProcessStatus> processes =
                readList(in, MessageCodec::readProcess).stream().map(ProcessInfo::status).toList();
        String lastReload = readString(in);
        return new StatusReply(new ServiceStatus(pid, name, mode, state, listeners, processes, lastReload,
                readFigures(in)));
    }

    /** The figures as they travel: the counts, then each duration in milliseconds or -1 for none. */
    private static void writeFigures(DataOutputStream out, ServiceStatus.Figures figures) throws IOException {
        out.writeLong(figures.upgradesSucceeded());
        out.writeLong(figures.upgradesFailed());
        out.writeLong(figures.upgradesRefused());
        out.writeLong(figures.lastTimeToReady().map(Duration::toMillis).orElse(-1L));
        out.writeLong(figures.lastDrain().map(Duration::toMillis).orElse(-1L));
        out.writeLong(figures.hammered());
        out.writeInt(figures.generationsDraining());
    }

    private static ServiceStatus.Figures readFigures(DataInputStream in) throws IOException {
        return new ServiceStatus.Figures(in.readLong(), in.readLong(), in.readLong(), readMillis(in), readMillis(in),
                in.readLong(), in.readInt());
    }

    private static Optional<Duration> readMillis(DataInputStream in) throws IOException {
        long millis = in.readLong();
        if (millis < -1) {
            throw new ProtocolException("a duration field holds " + millis + " ms");
        }
        return millis == -1 ? Optional.empty() : Optional.of(Duration.ofMillis(millis));
    }

    private static boolean readBoolean(DataInputStream in) throws IOException {
        int value = in.readUnsignedByte();
        if (value > 1) {
            throw new ProtocolException("a boolean field holds " + value);
        }
        return value == 1;
    }

    private static void writeListener(DataOutputStream out, ListenerSpec listener) throws IOException {
        writeString(out, listener.name());
        writeString(out, listener.address());
    }

    private static ListenerSpec readListener(DataInputStream in) throws IOException {
        return new ListenerSpec(readString(in), readString(in));
    }

    private static void writeProcess(DataOutputStream out, ProcessInfo process) throws IOException {
        out.writeLong(process.pid());
        out.writeInt(process.generation());
        writeString(out, process.state());
        out.writeLong(process.startedEpochMillis());
    }

    private static ProcessInfo readProcess(DataInputStream in) throws IOException {
        return new ProcessInfo(in.readLong(), in.readInt(), readString(in), in.readLong());
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_STRING_BYTES) {
            throw new IllegalArgumentException("a string of " + bytes.length + " bytes exceeds " + MAX_STRING_BYTES);
        }
        out.writeShort(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readUnsignedShort();
        if (length > MAX_STRING_BYTES) {
            throw new ProtocolException("a string field of " + length + " bytes exceeds " + MAX_STRING_BYTES);
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new EOFException();
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException("a string field is not valid UTF-8", e);
        }
    }

    @FunctionalInterface
    private interface FieldWriter<T> {
        void write(DataOutputStream out, T value) throws IOException;
    }

    @FunctionalInterface
    private interface FieldReader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static <T> void writeList(DataOutputStream out, List<T> values, FieldWriter<T> writer)
            throws IOException {
        if (values.size() > MAX_LIST_SIZE) {
            throw new IllegalArgumentException("a list of " + values.size() + " exceeds " + MAX_LIST_SIZE);
        }
        out.writeShort(values.size());
        for (T value : values) {
            writer.write(out, value);
        }
    }

    private static <T> List<T> readList(DataInputStream in, FieldReader<T> reader) throws IOException {
        int size = in.readUnsignedShort();
        if (size > MAX_LIST_SIZE) {
            throw new ProtocolException("a list of " + size + " elements exceeds " + MAX_LIST_SIZE);
        }
        List<T> values = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            values.add(reader.read(in));
        }
        return values;
    }
}
