package dev.baton;

import dev.baton.internal.protocol.Message.ProcessInfo;
import dev.baton.internal.service.ExitDescription;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Generations of one service inside the test JVM: the first one cold-started, each successor "launched"
 * as another {@link Lifecycle} on a thread of its own that speaks the real handover protocol over the real
 * control socket. Nothing of the kernel is faked; only the process boundary is: every generation has this
 * JVM's pid (so the predecessor's peer check passes), and a successor's exit is a future.
 *
 * <p>What each launched successor does is scripted with {@link #next}; the application in each
 * generation listens on {@code http} (127.0.0.1, any port), registers a server and, if scripted so, calls
 * ready().
 */
final class FakeGenerations implements SuccessorLauncher, OldGenerations.Liveness {

    /** What a launched successor does. */
    enum Script {
        /** Takes over and calls ready(). */
        READY,
        /** Exits with status 2 before it even connects. */
        EXITS,
        /** Takes the handover, then dies (SIGKILL) before ready(). */
        CRASHES,
        /** Takes the handover and never calls ready(); stopped with status 143. */
        HANGS,
        /** Takes over, calls ready(), and is SIGKILLed as soon as ready() returns. */
        DIES_AFTER_READY,
        /**
         * Takes the handover, then exits with status 1 before ready(): its connection closes a moment before
         * its exit is seen, as a real process's does.
         */
        CLOSES_THEN_EXITS,
        /** Never starts: the launch fails as the JDK does when this process has no thread left to start. */
        NO_THREAD_LEFT,
        /** Is still starting when the predecessor fails to start the timer of its ready timeout (no thread left). */
        NO_THREAD_FOR_ITS_TIMEOUT,
        /** Takes over, calls ready(), and exits with status 0 at once, as one stopped by `baton stop` and drained. */
        STOPPED_AFTER_READY
    }

    static final long PID = ProcessHandle.current().pid();
    static final String ADDRESS = "127.0.0.1:0";
    /** How much later than its closed connection a scripted successor's exit is seen. */
    static final Duration KERNEL_LAG = Duration.ofMillis(200);

    final ManualClock clock = new ManualClock();
    final List<Lifecycle> generations = new CopyOnWriteArrayList<>();
    final List<FakeServer> servers = new CopyOnWriteArrayList<>();
    final List<FakeSuccessor> launched = new CopyOnWriteArrayList<>();
    /** Counted down when a serving generation prepares its next upgrade. */
    final java.util.concurrent.CountDownLatch prepared = new java.util.concurrent.CountDownLatch(1);
    private final BatonOptions options;
    private final Supplier<FakeServer> newServer;
    private final Deque<Script> scripts = new ArrayDeque<>();
    /** What the application does in each generation once it is opened, before ready(). */
    volatile java.util.function.Consumer<Lifecycle> onOpen = lifecycle -> { };

    FakeGenerations(BatonOptions options, Supplier<FakeServer> newServer) {
        this.options = options;
        this.newServer = newServer;
    }

    static BatonOptions options(Path controlDirectory) {
        return BatonOptions.defaults().withName("svc").withControlDirectory(controlDirectory)
                .withControlTimeout(Duration.ofSeconds(5));
    }

    /** Scripts the next launched successor. */
    synchronized FakeGenerations next(Script script) {
        scripts.addLast(script);
        return this;
    }

    /** Starts the first generation, cold, and makes it serve. */
    Lifecycle coldStart() throws IOException {
        return coldStart(Map.of());
    }

    Lifecycle coldStart(Map<String, String> variables) throws IOException {
        Lifecycle first = open(variables);
        first.ready();
        return first;
    }

    /** Opens a generation with {@code variables}, listens and registers a server, but does not call ready(). */
    Lifecycle open(Map<String, String> variables) throws IOException {
        ProcessEnvironment environment = new ProcessEnvironment(variables, PID, PID, System.currentTimeMillis(),
                List.of("fake-app", "--serve"));
        Lifecycle lifecycle = Lifecycle.create(options, new Lifecycle.Host(environment, this, clock, this));
        try {
            lifecycle.listeners().listen("http", ListenAddress.parse(ADDRESS));
        } catch (IOException | RuntimeException e) {
            lifecycle.abandon();
            throw e;
        }
        onOpen.accept(lifecycle);
        FakeServer server = newServer.get();
        lifecycle.register(server);
        servers.add(server);
        generations.add(lifecycle);
        return lifecycle;
    }

    /** The one successor launched, once it has been. */
    FakeSuccessor launchedOne() {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !launched.isEmpty());
        if (launched.size() != 1) {
            throw new AssertionError(launched.size() + " successors were launched, not one");
        }
        return launched.getFirst();
    }

    Lifecycle generation(int number) {
        return generations.stream().filter(g -> g.generation() == number).findFirst()
                .orElseThrow(() -> new AssertionError("no generation " + number + " among " + generations.size()));
    }

    /** Stops every generation and successor still alive, for the end of a test. */
    void stopAll() {
        for (FakeSuccessor successor : launched) {
            successor.stop(Duration.ZERO, "[test] ");
        }
        for (Lifecycle generation : generations) {
            generation.stop(true, "the end of the test");
            generation.abandon();
        }
    }

    @Override
    public void prepare() {
        prepared.countDown();
    }

    @Override
    public synchronized Successor launch(List<String> command, Map<String, String> add, List<String> remove,
            int[] listeners) {
        Script script = scripts.isEmpty() ? Script.READY : scripts.removeFirst();
        if (script == Script.NO_THREAD_LEFT) {
            throw new OutOfMemoryError("unable to create native thread: possibly out of memory or process/resource "
                    + "limits reached");
        }
        Map<String, String> variables = new HashMap<>(add);
        remove.forEach(variables::remove);
        variables.remove(HandedListeners.VARIABLE); // a fake successor shares this JVM's descriptors: none handed
        if (script == Script.NO_THREAD_FOR_ITS_TIMEOUT) {
            clock.failNextSchedule(new OutOfMemoryError("unable to create native thread: possibly out of memory or "
                    + "process/resource limits reached"));
        }
        FakeSuccessor successor = new FakeSuccessor(script, variables);
        launched.add(successor);
        return successor;
    }

    // ---- liveness of old generations, by generation number (they all share this JVM's pid) -------------

    @Override
    public boolean isRunning(ProcessInfo generation) {
        return generations.stream().anyMatch(g -> g.generation() == generation.generation()
                && g.state() != GenerationState.STOPPED);
    }

    @Override
    public void hammer(ProcessInfo generation) {
        generations.stream().filter(g -> g.generation() == generation.generation())
                .forEach(g -> g.stop(false, "SIGTERM")); // what the signal handler does
    }

    /** A successor "process": a lifecycle run on a thread as its script says. */
    final class FakeSuccessor implements Successor {

        final Script script;
        final CompletableFuture<Lifecycle> tookHandover = new CompletableFuture<>();
        private final Map<String, String> variables;
        /** How it ended, in the words of the real one (the kernel's status, from waitid). */
        private final CompletableFuture<String> exit = new CompletableFuture<>();
        private volatile Lifecycle lifecycle;
        private boolean running;

        FakeSuccessor(Script script, Map<String, String> variables) {
            this.script = script;
            this.variables = variables;
        }

        /**
         * Starts the script once the predecessor watches this exit: a real successor, a JVM, is never
         * quicker than that.
         */
        @Override
        public synchronized CompletableFuture<?> onExit() {
            if (!running) {
                running = true;
                Thread.ofPlatform().daemon().name("fake-successor").start(this::run);
            }
            return exit;
        }

        private void run() {
            if (script == Script.EXITS) {
                exit.complete(ExitDescription.exited(2));
                return;
            }
            if (script == Script.NO_THREAD_FOR_ITS_TIMEOUT) {
                return; // a JVM still starting when its predecessor gives up on it: only its stop ends it
            }
            try {
                synchronized (this) {
                    if (exit.isDone()) {
                        return; // stopped before it opened: a killed process does nothing more
                    }
                    lifecycle = open(variables);
                }
                tookHandover.complete(lifecycle);
                switch (script) {
                    case READY -> lifecycle.ready();
                    case CRASHES -> {
                        exit.complete(ExitDescription.killed(9));
                        gone(lifecycle);
                    }
                    case CLOSES_THEN_EXITS -> {
                        gone(lifecycle);
                        CompletableFuture.delayedExecutor(KERNEL_LAG.toMillis(), TimeUnit.MILLISECONDS)
                                .execute(() -> exit.complete(ExitDescription.exited(1)));
                    }
                    case DIES_AFTER_READY -> {
                        lifecycle.ready();
                        generations.remove(lifecycle);
                        lifecycle.halt();
                        exit.complete(ExitDescription.killed(9));
                    }
                    case STOPPED_AFTER_READY -> {
                        lifecycle.ready();
                        generations.remove(lifecycle);
                        lifecycle.halt();
                        exit.complete(ExitDescription.exited(0));
                    }
                    case HANGS, EXITS, NO_THREAD_FOR_ITS_TIMEOUT -> { }
                }
            } catch (IOException | RuntimeException e) {
                tookHandover.completeExceptionally(e);
                exit.complete(ExitDescription.exited(1));
            }
        }

        /** A successor that never served is gone: what it held is closed, and it is no generation any more. */
        private void gone(Lifecycle successor) {
            generations.remove(successor);
            successor.abandon();
        }

        @Override
        public long pid() {
            return PID;
        }

        @Override
        public int setPriority(int nice) {
            return 0; // its "process" is this JVM, whose priority a fake must not change
        }

        @Override
        public boolean isAlive() {
            return !exit.isDone();
        }

        @Override
        public synchronized void stop(Duration grace, String logPrefix) {
            if (exit.complete(ExitDescription.exited(143))) { // a JVM exits 143 after SIGTERM
                Lifecycle started = lifecycle;
                if (started != null && started.state() == GenerationState.STARTING) {
                    gone(started);
                }
            }
        }

        @Override
        public String exitDescription() {
            return exit.getNow("is still running");
        }

        @Override
        public boolean exitedCleanly() {
            return ExitDescription.exited(0).equals(exit.getNow(null));
        }

        @Override
        public List<String> lastLines() {
            return new ArrayList<>(List.of("fake successor: " + script));
        }
    }
}
