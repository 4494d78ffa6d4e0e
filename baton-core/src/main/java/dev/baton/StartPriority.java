package dev.baton;

import dev.baton.internal.os.CpuPriority;
import dev.baton.internal.os.SystemCallException;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A successor's CPU priority while it starts: {@value #DEFAULT_INCREMENT} nice levels below the serving
 * generation (every thread, from its first instruction: it is spawned by a thread at that nice), so that the
 * JVM's start and warm-up take the CPU the serving generation leaves; back to the serving generation's nice
 * at {@code ready()}, or as soon as its predecessor sees it get less than half a CPU ({@link StarvedStart}):
 * the CPU is then saturated, and a lower priority would only postpone the upgrade.
 *
 * <p>With CPU to spare, the usual case, the serving generation's p99 during reloads is lower with it (1.25-1.36x
 * against 1.32-1.52x without, on 2 cores: bench/RESULTS.md). On a saturated CPU a successor at nice 10 gets
 * about a tenth of what the serving generation and its load leave it, and took 5-8 s instead of 3.2-3.7 s to be
 * ready under the demo's flat-out load on 2 cores (over a minute in a loaded test suite): hence the watch.
 *
 * <p>Only where the kernel lets the successor return (found by trying: {@link CpuPriority#canLowerTo}): as root
 * ({@code CAP_SYS_NICE}; a container's root has it only with {@code --cap-add SYS_NICE}, and a user namespace's
 * root not at all) or with an {@code RLIMIT_NICE} that reaches the serving nice (systemd {@code LimitNICE=});
 * otherwise the successor starts at the serving generation's priority, said once in the log,
 * since a service that lowered its priority at every upgrade and could not raise it again would end up running
 * at nice 19. {@code BATON_SUCCESSOR_NICE=N} sets the increment (0 turns it off). Processes the successor starts
 * before its ready() keep the lower nice: only its own threads are set back.
 */
final class StartPriority {

    /** The serving generation's nice, which the successor returns to: set by the predecessor. */
    static final String VARIABLE = "BATON_SERVING_NICE";
    static final String INCREMENT_VARIABLE = "BATON_SUCCESSOR_NICE";
    static final int DEFAULT_INCREMENT = 10;

    private static final Logger LOG = System.getLogger("dev.baton");
    private static final AtomicBoolean SAID_CANNOT_RETURN = new AtomicBoolean();

    private StartPriority() {}

    /** The variables that tell the successor to start lower and the nice it returns to; none if it cannot. */
    static Map<String, String> forSuccessor(Map<String, String> environment, String logPrefix) {
        int increment = increment(environment, logPrefix);
        if (increment == 0) {
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
            if (!SAID_CANNOT_RETURN.getAndSet(true)) {
                LOG.log(Level.INFO, logPrefix + "successors start at this generation's priority (nice " + serving
                        + "), not lower: they could not return at ready(): " + CpuPriority.whyNotLowerTo(serving));
            }
            return Map.of();
        }
        return Map.of(VARIABLE, Integer.toString(serving), INCREMENT_VARIABLE, Integer.toString(increment));
    }

    /** The nice levels {@value #INCREMENT_VARIABLE} asks for: 0 (off) to 19; anything else is warned about, and the default used. */
    static int increment(Map<String, String> environment, String logPrefix) {
        String asked = environment.get(INCREMENT_VARIABLE);
        if (asked == null) {
            return DEFAULT_INCREMENT;
        }
        try {
            int increment = Integer.parseInt(asked.strip());
            if (increment >= 0 && increment <= 19) {
                return increment;
            }
        } catch (NumberFormatException e) {
            // worded below
        }
        LOG.log(Level.WARNING, logPrefix + INCREMENT_VARIABLE + "='" + asked + "' is not a number of nice levels from "
                + "0 (off) to 19; using " + DEFAULT_INCREMENT);
        return DEFAULT_INCREMENT;
    }

    /** The nice a successor started with {@code add} begins at, or -1 for its predecessor's. */
    static int startingNice(Map<String, String> add) {
        OptionalInt serving = servingNice(add);
        if (serving.isEmpty()) {
            return -1;
        }
        return Math.min(19, serving.getAsInt() + Integer.parseInt(add.getOrDefault(INCREMENT_VARIABLE,
                Integer.toString(DEFAULT_INCREMENT))));
    }

    /** The nice a successor started with {@code add} returns to, if it starts lower. */
    static OptionalInt servingNice(Map<String, String> add) {
        String serving = add.get(VARIABLE);
        return serving == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(serving));
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
            LOG.log(Level.INFO, logPrefix + (changed == 0 ? "at nice " + nice + " already at ready"
                    : "back to nice " + nice + " (" + changed + " threads) at ready"));
        } catch (SystemCallException.AccessDenied e) {
            LOG.log(Level.WARNING, logPrefix + "stays at a lower priority: " + e.getMessage() + "; "
                    + CpuPriority.whyNotLowerTo(Integer.parseInt(serving.strip())));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, logPrefix + "could not return to nice " + serving + ": " + e);
        }
    }
}
