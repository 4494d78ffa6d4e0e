package dev.baton;

import dev.baton.internal.os.Descriptor;

/**
 * A listening socket received from elsewhere and not yet claimed by {@link Baton#listen}.
 *
 * @param name the name it was given
 * @param address the address it was asked for, as text, or empty if the giver did not say (systemd)
 * @param socket the descriptor, owned by this record until it is released to a {@link Listener} or closed
 */
record InheritedListener(String name, String address, Descriptor socket) {

    /** Whether a request for {@code requested} may take this socket. */
    boolean matches(ListenAddress requested) {
        return address.isEmpty() || address.equals(requested.toString());
    }
}
