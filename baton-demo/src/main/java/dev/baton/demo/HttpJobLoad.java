package dev.baton.demo;

import dev.baton.load.LoadGenerator;
import dev.baton.load.LoadOptions;
import dev.baton.load.LoadReport;
import dev.baton.load.LoadRun;
import java.util.Optional;
import java.util.Map;

/** The HTTP/1.1 load of the demo job, baton-load's closed loop that never retries. */
final class HttpJobLoad implements JobLoad {

    /** The report of baton-load, as the job prints it. */
    record Report(LoadReport load) implements JobReport {
        @Override
        public long failures() {
            return load.failures();
        }

        @Override
        public Map<Long, Long> pids() {
            return load.pids();
        }

        @Override
        public String toTable() {
            return load.toTable();
        }

        @Override
        public String toSummaryLine() {
            return load.toSummaryLine();
        }

        @Override
        public LoadFigures figures() {
            return new LoadFigures(load.requests(), load.failures(), load.requestsPerSecond(),
                    Optional.of(load.latency()), load.generations().size());
        }
    }

    private final LoadRun run;

    HttpJobLoad(LoadOptions options) {
        this.run = LoadGenerator.start(options);
    }

    @Override
    public String progressLine() {
        return run.snapshot().toProgressLine();
    }

    @Override
    public int pidsSoFar() {
        return run.snapshot().distinctPids();
    }

    @Override
    public JobReport stop() throws InterruptedException {
        return new Report(run.stop());
    }

    @Override
    public void close() {
        run.close();
    }
}
