package dev.baton.supervisor;

import dev.baton.internal.control.Refusals;
import dev.baton.supervisor.SupervisorMachine.State;

/**
 * Which refusal the supervisor gives in each of its states: why a reload or an upgrade of itself is
 * refused (null where the request is accepted). The wording is {@link Refusals}', shared with the
 * in-process mode.
 */
final class SupervisorRefusals {

    private SupervisorRefusals() {}

    /** Why a reload is refused in {@code state}, or null; {@code starting} is the worker being started, if any. */
    static String reload(State state, Worker starting) {
        return switch (state) {
            case STARTING -> Refusals.firstWorkerNotReady();
            case SERVING -> null;
            case RELOADING -> Refusals.reloadUnderWay(starting == null ? null : starting.describe());
            case RESTARTING -> Refusals.restartUnderWay();
            case UPGRADING, EXECUTING -> Refusals.supervisorUpgradeUnderWay();
            case STOPPING, STOPPED -> Refusals.supervisorStopping();
        };
    }

    /** Why an upgrade of the supervisor itself is refused in {@code state}, or null. */
    static String upgradeSelf(State state) {
        return switch (state) {
            case STARTING -> Refusals.firstWorkerNotReady();
            case SERVING -> null;
            case RELOADING -> Refusals.oneThingAtATime("a reload");
            case RESTARTING -> Refusals.oneThingAtATime("a restart after a crash");
            case UPGRADING, EXECUTING -> Refusals.supervisorUpgradeAlreadyUnderWay();
            case STOPPING, STOPPED -> Refusals.supervisorStopping();
        };
    }
}
