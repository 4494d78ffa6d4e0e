package dev.baton;

import dev.baton.internal.os.Descriptor;
import java.util.List;

/**
 * The descriptors a {@code Handover} message carries, by name instead of by position: the listeners (in
 * the order of the message's listener specs), the control socket's listener, and the predecessor's
 * standard output and error. The one place that knows the order on the wire.
 *
 * <p>The successor owns what it received: each is a {@link Descriptor} that closes once, and is released
 * when it is handed on (a listener to the application, the control socket to the control server, the
 * streams once duplicated onto 1 and 2).
 */
record HandoverDescriptors(List<Descriptor> listeners, Descriptor control, Descriptor stdout, Descriptor stderr)
        implements AutoCloseable {

    /** How many descriptors follow the listeners: the control socket, standard output, standard error. */
    static final int AFTER_LISTENERS = 3;

    HandoverDescriptors {
        listeners = List.copyOf(listeners);
    }

    /**
     * The descriptors to attach to a Handover, in wire order. They stay the sender's: the kernel
     * duplicates them into the receiver.
     */
    static int[] toSend(int[] listenerFds, int controlFd) {
        int[] fds = new int[listenerFds.length + AFTER_LISTENERS];
        System.arraycopy(listenerFds, 0, fds, 0, listenerFds.length);
        fds[listenerFds.length] = controlFd;
        fds[listenerFds.length + 1] = 1;
        fds[listenerFds.length + 2] = 2;
        return fds;
    }

    /**
     * Takes ownership of what a Handover for {@code listenerCount} listeners brought.
     *
     * @throws IllegalArgumentException if the count does not match (the codec checked it already)
     */
    static HandoverDescriptors received(List<Descriptor> fds, int listenerCount) {
        if (fds.size() != listenerCount + AFTER_LISTENERS) {
            throw new IllegalArgumentException("a handover of " + listenerCount + " listeners carries "
                    + (listenerCount + AFTER_LISTENERS) + " descriptors, not " + fds.size());
        }
        return new HandoverDescriptors(fds.subList(0, listenerCount), fds.get(listenerCount),
                fds.get(listenerCount + 1), fds.get(listenerCount + 2));
    }

    /** Closes what was not handed on. The listeners are their {@link InheritedListener}s' once inherited. */
    @Override
    public void close() {
        control.close();
        stdout.close();
        stderr.close();
    }
}
