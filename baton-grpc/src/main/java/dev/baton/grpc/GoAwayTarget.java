package dev.baton.grpc;

import io.grpc.Status;

/** A long-lived call that a drain ends with a going-away status. */
interface GoAwayTarget {

    /** Ends the call with {@code status} unless it has ended; must not throw. */
    void goAway(Status status);
}
