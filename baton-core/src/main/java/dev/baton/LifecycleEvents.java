package dev.baton;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The application's {@link LifecycleListener}s and the firing of an event to each. Thread-safe. */
final class LifecycleEvents {

    private static final Logger LOG = System.getLogger("dev.baton");

    private final List<LifecycleListener> listeners = new CopyOnWriteArrayList<>();
    private final String logPrefix;

    LifecycleEvents(String logPrefix) {
        this.logPrefix = logPrefix;
    }

    void add(LifecycleListener listener) {
        listeners.add(listener);
    }

    /** Tells every listener; what one throws is logged and the others are still told. */
    void fire(Consumer<LifecycleListener> event) {
        for (LifecycleListener listener : listeners) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, logPrefix + "lifecycle listener " + listener + " failed", e);
            }
        }
    }
}
