package dev.baton;

/**
 * A listening socket received from elsewhere and not yet claimed by {@link Baton#listen}.
 *
 * @param name the name it was given
 * @param address the address it was asked for, as text, or empty if the giver did not say (systemd)
 * @param fd the descriptor, owned by this process
 */
record InheritedListener(String name, String address, int fd) {

    /** Whether a request for {@code requested} may take this socket. */
    boolean matches(ListenAddress requested) {
        return address.isEmpty() || address.equals(requested.toString());
    }
}
