package dev.baton.internal.control;

import dev.baton.internal.protocol.Message;

/**
 * A received message and the descriptors that came with it; the receiver owns the descriptors.
 *
 * @param message the decoded message
 * @param fds exactly {@code message.descriptorCount()} descriptors
 */
public record Envelope(Message message, int[] fds) {}
