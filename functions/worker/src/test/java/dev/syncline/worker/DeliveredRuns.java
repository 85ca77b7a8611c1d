package dev.syncline.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.adapters.wiring.TestDeployment;
import dev.syncline.core.delivery.ChunkRef;
import dev.syncline.core.sync.Phase;
import dev.syncline.core.sync.RunStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Runs of a catalog small enough for one chunk per phase, delivered as the workers would. */
final class DeliveredRuns {

    private DeliveredRuns() {
    }

    /** Plans a run and delivers its products, then its relations; the run must end finished. */
    static void run(TestDeployment deployment, UUID installation, UUID run, String catalog) {
        deployment.trigger(installation, run, catalog);
        deployment.services.runPlanning().prepare(run);
        for (Phase phase : List.of(Phase.PRODUCTS, Phase.RELATIONS)) {
            if (deployment.services.runs().find(run).orElseThrow().status() == RunStatus.EXECUTION) {
                deployment.services.chunkDelivery().deliver(new ChunkRef(run, phase, 0), Instant.now().plusSeconds(60));
            }
        }
        assertThat(deployment.services.runs().find(run).orElseThrow().status()).isEqualTo(RunStatus.FINISHED);
    }
}
