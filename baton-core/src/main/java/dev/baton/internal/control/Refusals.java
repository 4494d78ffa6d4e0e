package dev.baton.internal.control;

/**
 * The one wording of every refusal a Baton service gives, in either mode: why a reload, a handover, an
 * upgrade or a request cannot be done now. Each sentence says what stands in the way and, where there is
 * one, what to do.
 */
public final class Refusals {

    private Refusals() {}

    /** An upgrade (in-process) is running and has started, or is starting, the successor {@code successorPid}. */
    public static String upgradeUnderWay(long successorPid) {
        return "an upgrade is already under way (successor pid "
                + (successorPid <= 0 ? "not yet started" : Long.toString(successorPid)) + ")";
    }

    /** A reload (supervised) is replacing the worker; {@code starting} describes the new one, or is null. */
    public static String reloadUnderWay(String starting) {
        return "a reload is already under way (" + (starting == null ? "worker starting" : starting + " starting")
                + ")";
    }

    /** The generation has not called {@code ready()} yet. */
    public static String notReady(int generation) {
        return "generation " + generation + " is not ready yet";
    }

    /** The supervisor's first worker is not ready yet. */
    public static String firstWorkerNotReady() {
        return "the first worker is not ready yet";
    }

    /** The generation drains or has stopped. */
    public static String generationStopping(int generation) {
        return "generation " + generation + " is stopping";
    }

    /** The supervisor drains its workers or has stopped. */
    public static String supervisorStopping() {
        return "the supervisor is stopping";
    }

    /** The supervisor is restarting a crashed worker. */
    public static String restartUnderWay() {
        return "no worker serves: a restart after a crash is under way; try again once it serves";
    }

    /** The supervisor is re-executing itself. */
    public static String supervisorUpgradeUnderWay() {
        return "the supervisor is upgrading itself in place; try again once it is done";
    }

    /** Why {@code baton upgrade-supervisor} is refused: {@code why} is one of the refusals here. */
    public static String cannotUpgradeSupervisor(String why) {
        return "cannot upgrade the supervisor now: " + why;
    }

    /** A second {@code baton upgrade-supervisor} while one runs. */
    public static String supervisorUpgradeAlreadyUnderWay() {
        return "an upgrade of the supervisor is already under way";
    }

    /** Another step ({@code "a reload"}, {@code "a restart after a crash"}) must end before this one starts. */
    public static String oneThingAtATime(String other) {
        return other + " is under way; one thing at a time: try again once it is done";
    }

    /** A request that reached the supervisor's new program image before it took over what the old one carried. */
    public static String supervisorStillTakingOver() {
        return "the supervisor is still taking over after upgrading itself";
    }

    /** This process is a supervised worker: its supervisor replaces it. */
    public static String workerOfSupervisor(String supervisorPid) {
        return "this process is a worker of the Baton supervisor pid " + supervisorPid
                + "; reload through the supervisor (baton reload)";
    }

    /** A handover was asked of a generation that started no successor of that pid. */
    public static String noUpgradeWaitsFor(long pid) {
        return "no upgrade is waiting for pid " + pid;
    }

    /** A handover was asked of the supervisor, which hands listeners to its workers at their start. */
    public static String supervisorHandsNoListeners() {
        return "this is a Baton supervisor: it hands its listeners to the workers it starts, not over the control "
                + "socket";
    }

    /** {@code baton upgrade-supervisor} was sent to a process that is not a supervisor. */
    public static String notASupervisor() {
        return "this service runs in-process, not under a Baton supervisor: there is no supervisor to upgrade; "
                + "use baton reload";
    }

    /** A request this service does not take (a reply type sent as a request, say). */
    public static String unexpectedRequest(Object request) {
        return "unexpected " + request.getClass().getSimpleName() + " request";
    }

    /** The control socket serves at most {@code max} connections at once. */
    public static String tooManyConnections(int max) {
        return "too many control connections (at most " + max + " at once); try again";
    }

    /** The service has no descriptor left to serve a control connection with. */
    public static String outOfDescriptors() {
        return "the service is out of file descriptors (EMFILE) and cannot serve this request now; it still "
                + "serves its clients. Try again once it has closed some (or raise its descriptor limit, "
                + "LimitNOFILE=, and restart it)";
    }
}
