package dev.baton.spring;

import dev.baton.BatonOptions;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code baton.*} settings of a Spring Boot application: the service's name and files, its
 * timeouts, and how its web server drains. Every timeout defaults to Baton's own default.
 */
@ConfigurationProperties("baton")
public class BatonProperties {

    /** Whether Baton runs the application (its listener, upgrades and drain); false leaves Spring Boot alone. */
    private boolean enabled = true;

    /** The service's name: its control socket is <control-directory>/<name>.sock, and `baton reload --name` finds it. */
    private String name = BatonOptions.DEFAULT_NAME;

    /** A file that always holds the serving generation's pid; none by default. */
    private Path pidfile;

    /** Where the control socket lives; by default $BATON_CONTROL_DIR, else $XDG_RUNTIME_DIR/baton, else /tmp/baton-<uid>. */
    private Path controlDirectory;

    /** How long a successor may take to be ready (including its warm-up) before it is stopped and this generation serves on. */
    private Duration readyTimeout = BatonOptions.DEFAULT_READY_TIMEOUT;

    /** How long a generation that stops serving may take to finish its requests before its remaining connections are closed. */
    private Duration drainTimeout = BatonOptions.DEFAULT_DRAIN_TIMEOUT;

    /** How long a failed successor has to exit after SIGTERM before SIGKILL. */
    private Duration stopTimeout = BatonOptions.DEFAULT_STOP_TIMEOUT;

    /** On a final stop: how long the service keeps serving, not ready, before it drains (0: drain at once). */
    private Duration shutdownDelay = BatonOptions.DEFAULT_SHUTDOWN_DELAY;

    /** How many old generations may drain at once; past that the oldest is closed at once. */
    private int maxDraining = BatonOptions.DEFAULT_MAX_DRAINING_GENERATIONS;

    /** How long a kept-alive connection must stay idle, once draining began, before it is closed. */
    private Duration idleGrace = Duration.ofSeconds(1);

    /** The name of the web server's listener, as `baton run --listen NAME=...` and systemd's FileDescriptorName give it. */
    private String listener = "http";

    /** Whether the JVM exits (status 0) once this generation has drained and the context is closed. */
    private boolean exitOnStop = true;

    /**
     * The options these settings make.
     *
     * @throws IllegalArgumentException naming the setting and the value, if one is out of range
     */
    public BatonOptions toOptions() {
        BatonOptions options = BatonOptions.defaults()
                .withName(name)
                .withReadyTimeout(readyTimeout)
                .withDrainTimeout(drainTimeout)
                .withStopTimeout(stopTimeout)
                .withShutdownDelay(shutdownDelay)
                .withMaxDrainingGenerations(maxDraining);
        if (pidfile != null) {
            options = options.withPidFile(pidfile.toAbsolutePath());
        }
        if (controlDirectory != null) {
            options = options.withControlDirectory(controlDirectory.toAbsolutePath());
        }
        return options;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public Path getPidfile() {
        return pidfile;
    }

    public void setPidfile(Path pidfile) {
        this.pidfile = pidfile;
    }

    public Path getControlDirectory() {
        return controlDirectory;
    }

    public void setControlDirectory(Path controlDirectory) {
        this.controlDirectory = controlDirectory;
    }

    public Duration getReadyTimeout() {
        return readyTimeout;
    }

    public void setReadyTimeout(Duration readyTimeout) {
        this.readyTimeout = readyTimeout;
    }

    public Duration getShutdownDelay() {
        return shutdownDelay;
    }

    public void setShutdownDelay(Duration shutdownDelay) {
        this.shutdownDelay = shutdownDelay;
    }

    public Duration getDrainTimeout() {
        return drainTimeout;
    }

    public void setDrainTimeout(Duration drainTimeout) {
        this.drainTimeout = drainTimeout;
    }

    public Duration getStopTimeout() {
        return stopTimeout;
    }

    public void setStopTimeout(Duration stopTimeout) {
        this.stopTimeout = stopTimeout;
    }

    public int getMaxDraining() {
        return maxDraining;
    }

    public void setMaxDraining(int maxDraining) {
        this.maxDraining = maxDraining;
    }

    public Duration getIdleGrace() {
        return idleGrace;
    }

    public void setIdleGrace(Duration idleGrace) {
        this.idleGrace = idleGrace;
    }

    public String getListener() {
        return listener;
    }

    public void setListener(String listener) {
        this.listener = listener;
    }

    public boolean isExitOnStop() {
        return exitOnStop;
    }

    public void setExitOnStop(boolean exitOnStop) {
        this.exitOnStop = exitOnStop;
    }
}
