package dev.baton.supervisor;

import dev.baton.supervisor.SupervisorMachine.State;

/**
 * The wording of the supervisor's refusals, in one place: why a reload or an upgrade of itself is
 * refused in a given state (null where the request is accepted).
 */
final class SupervisorRefusals {

    private SupervisorRefusals() {}

    /** Why a reload is refused in {@code state}, or null; {@code starting} is the worker being started, if any. */
    static String reload(State state, Worker starting) {
        return switch (state) {
            case STARTING -> "the first worker is not ready yet";
            case SERVING -> null;
            case RELOADING -> "a reload is already under way (" + (starting == null ? "worker starting"
                    : starting.describe() + " starting") + ")";
            case RESTARTING -> "no worker serves: a restart after a crash is under way; try again once it serves";
            case UPGRADING, EXECUTING -> "the supervisor is upgrading itself in place; try again once it is done";
            case STOPPING, STOPPED -> "the supervisor is stopping";
        };
    }

    /** Why an upgrade of the supervisor itself is refused in {@code state}, or null. */
    static String upgradeSelf(State state) {
        return switch (state) {
            case STARTING -> "the first worker is not ready yet";
            case SERVING -> null;
            case RELOADING -> "a reload is under way; one thing at a time: try again once it is done";
            case RESTARTING -> "a restart after a crash is under way; try again once a worker serves";
            case UPGRADING, EXECUTING -> "an upgrade of the supervisor is already under way";
            case STOPPING, STOPPED -> "the supervisor is stopping";
        };
    }
}
