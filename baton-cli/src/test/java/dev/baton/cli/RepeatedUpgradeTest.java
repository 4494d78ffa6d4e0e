package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Upgrades in a row leak nothing: no descriptor, no process. The short form of the soak: {@code ./baton soak}
 * runs 1,000 under load and prints the serving process's descriptors, threads and RSS as it goes.
 */
@Isolated // runs alone (junit-platform.properties): upgrades in a row, each a cold JVM
class RepeatedUpgradeTest {

    private static final int UPGRADES = 5;

    @TempDir
    Path directory;

    @Test
    void upgrades_fiveInARow_servingProcessHoldsNoMoreDescriptorsAndNoOldGenerationRuns() throws Exception {
        try (DemoServerProcess server = DemoServerProcess.start(directory, "", "--drain-timeout", "5s")) {
            List<Long> pids = new ArrayList<>(List.of(server.servingPid()));
            long descriptorsAfterFirst = -1;
            String descriptorsAfterFirstListed = "";
            for (int upgrade = 1; upgrade <= UPGRADES; upgrade++) {
                long oldPid = server.servingPid();
                long newPid = server.upgradeByTurns(upgrade);
                pids.add(newPid);
                server.awaitExit(oldPid);
                RawHttp.Answer answer = server.awaitAnswerFrom(newPid, "/");
                assertThat(answer.body()).contains("generation=" + (upgrade + 1));
                if (upgrade == 1) {
                    descriptorsAfterFirst = ProcFs.settledDescriptorCount(newPid);
                    descriptorsAfterFirstListed = ProcFs.describeDescriptors(newPid);
                }
            }
            long serving = pids.getLast();
            long descriptorsAfterLast = ProcFs.settledDescriptorCount(serving);
            String listedAfterFirst = descriptorsAfterFirstListed;

            assertThat(descriptorsAfterLast)
                    .as(() -> "descriptors of the serving generation after upgrade 1 and after upgrade " + UPGRADES
                            + "\nafter 1:" + listedAfterFirst + "\nafter " + UPGRADES + ":"
                            + ProcFs.describeDescriptors(serving))
                    .isLessThanOrEqualTo(descriptorsAfterFirst);
            for (long pid : pids.subList(0, pids.size() - 1)) {
                assertThat(ProcFs.state(pid).filter(state -> state != 'Z' && state != 'X'))
                        .as("old generation pid %d still runs%s", pid, server.logTail())
                        .isEmpty();
            }
            assertThat(server.servingPid()).isEqualTo(serving);
            System.out.println("descriptors after upgrade 1: " + descriptorsAfterFirst + ", after upgrade "
                    + UPGRADES + ": " + descriptorsAfterLast + "; status: " + server.status());
        }
    }
}
