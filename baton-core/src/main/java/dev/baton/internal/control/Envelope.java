package dev.baton.internal.control;

import dev.baton.internal.os.Descriptor;
import dev.baton.internal.protocol.Message;
import java.util.List;

/**
 * A received message and the descriptors that came with it; the receiver owns the descriptors.
 *
 * @param message the decoded message
 * @param fds exactly {@code message.descriptorCount()} descriptors, each to be closed or released once
 */
public record Envelope(Message message, List<Descriptor> fds) {

    public Envelope {
        fds = List.copyOf(fds);
    }

    /** Closes the descriptors, for a receiver that keeps none of them. */
    public void closeDescriptors() {
        Descriptor.closeAll(fds);
    }
}
