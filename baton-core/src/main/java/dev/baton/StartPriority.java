package dev.baton;

import dev.baton.internal.os.CpuPriority;
import dev.baton.internal.os.SystemCallException;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Map;

/**
 * A successor's CPU priority while it starts, when asked with {@code BATON_SUCCESSOR_NICE=N}: N nice levels
 * below the serving generation (every thread, from its first instruction: it is spawned by a thread at that nice), so the
 * JVM's start and warm-up take the CPU the serving generation leaves; back to the serving generation's nice
 * at {@code ready()}.
 *
 * <p>Only where the kernel lets the successor return: as root ({@code CAP_SYS_NICE}) or with an
 * {@code RLIMIT_NICE} that reaches the serving nice (systemd {@code LimitNICE=}); otherwise the successor
 * starts at the serving generation's priority, said once in the log, since a service that lowered its
 * priority at every upgrade and could not raise it again would end up running at nice 19.
 * {@code BATON_SUCCESSOR_NICE=N} sets the increment; 0, the default, leaves it off.
 *
 * <p>Off by default because of what it costs under a load that saturates the CPU (measured on 2 cores with the
 * demo's closed-loop load): a successor at nice 10 gets about a tenth of the CPU the serving generation and the
 * load leave it nothing of, and took over a minute to be ready where it takes a few seconds at nice 0, so that
 * upgrades missed the ready timeout. It helps where the machine has idle CPU the serving generation does not
 * need; where the CPU is saturated, a slower start only postpones the upgrade.
 */
final class StartPriority {

    /** The serving generation's nice, which the successor returns to: set by the predecessor. */
    static final String VARIABLE = "BATON_SERVING_NICE";
    static final String INCREMENT_VARIABLE = "BATON_SUCCESSOR_NICE";
    static final int DEFAULT_INCREMENT = 0;

    private static final Logger LOG = System.getLogger("dev.baton");

    private StartPriority() {}

    /** The variables that tell the successor to start lower and the nice it returns to; none if it cannot. */
    static Map<String, String> forSuccessor(Map<String, String> environment, String logPrefix) {
        int increment;
        try {
            increment = Integer.parseInt(environment.getOrDefault(INCREMENT_VARIABLE,
                    Integer.toString(DEFAULT_INCREMENT)).strip());
        } catch (NumberFormatException e) {
            LOG.log(Level.WARNING, logPrefix + INCREMENT_VARIABLE + "='" + environment.get(INCREMENT_VARIABLE)
                    + "' is not a number of nice levels (0 to 19); using " + DEFAULT_INCREMENT);
            increment = DEFAULT_INCREMENT;
        }
        if (increment <= 0) {
            return Map.of();
        }
        int serving;
        try {
            serving = CpuPriority.niceOfThisProcess();
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        if (serving >= 19) {
            return Map.of();
        }
        if (!CpuPriority.canLowerTo(serving)) {
            LOG.log(Level.INFO, logPrefix + "the successor starts at this generation's priority (nice " + serving
                    + "), not lower: it could not return at ready(): " + CpuPriority.whyNotLowerTo(serving));
            return Map.of();
        }
        return Map.of(VARIABLE, Integer.toString(serving), INCREMENT_VARIABLE, Integer.toString(increment));
    }

    /** The nice a successor started with {@code add} begins at, or -1 for its predecessor's. */
    static int startingNice(Map<String, String> add) {
        if (!add.containsKey(VARIABLE)) {
            return -1;
        }
        int serving = Integer.parseInt(add.get(VARIABLE));
        return Math.min(19, serving + Integer.parseInt(add.getOrDefault(INCREMENT_VARIABLE,
                Integer.toString(DEFAULT_INCREMENT))));
    }

    /** At ready(): every thread of this process back to the serving nice the predecessor passed, if it did. */
    static void restore(Map<String, String> environment, long pid, String logPrefix) {
        String serving = environment.get(VARIABLE);
        if (serving == null) {
            return;
        }
        try {
            int nice = Integer.parseInt(serving.strip());
            int changed = CpuPriority.setAllThreads(pid, nice);
            LOG.log(Level.INFO, logPrefix + "back to nice " + nice + " (" + changed + " threads) at ready");
        } catch (SystemCallException.AccessDenied e) {
            LOG.log(Level.WARNING, logPrefix + "stays at a lower priority: " + e.getMessage() + "; "
                    + CpuPriority.whyNotLowerTo(Integer.parseInt(serving.strip())));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, logPrefix + "could not return to nice " + serving + ": " + e);
        }
    }
}
