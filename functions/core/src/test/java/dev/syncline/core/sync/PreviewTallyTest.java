package dev.syncline.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.core.plan.PlanReason;
import dev.syncline.core.plan.PlannedEntry;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.snapshot.ResourceType;
import dev.syncline.core.snapshot.SnapshotLine;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreviewTallyTest {

    private static final RunPreview.Estimate ESTIMATE = new RunPreview.Estimate(3, RunPreview.Basis.DEFAULT, 0, 4);

    @Test
    void preview_countsEveryEntryPerPhaseAndEvent_inPhaseOrder_keepingTheFirstFiveOfEachWithTheirReasons() {
        PreviewTally tally = new PreviewTally();
        for (int i = 1; i <= 7; i++) {
            tally.added(entry(Phase.PRODUCTS, "product_updated", "SKU-" + i, PlanReason.changed(List.of("values.color"))));
        }
        tally.added(entry(Phase.PRODUCTS, "product_deleted", "SKU-9", PlanReason.deleted()));
        tally.added(entry(Phase.ATTRIBUTES, "attribute_created", "color", PlanReason.created()));

        RunPreview preview = tally.preview(1, 20, false, ESTIMATE, Instant.parse("2026-03-06T10:00:00Z"));

        assertThat(preview.changes()).extracting(change -> change.phase() + " " + change.event() + " " + change.count())
                .containsExactly("ATTRIBUTES attribute_created 1", "PRODUCTS product_updated 7", "PRODUCTS product_deleted 1");
        assertThat(preview.changes().get(1).samples()).extracting(sample -> sample.resource().id())
                .containsExactly("SKU-1", "SKU-2", "SKU-3", "SKU-4", "SKU-5");
        assertThat(preview.changes().get(1).samples().getFirst().reason()).isEqualTo(PlanReason.changed(List.of("values.color")));
        assertThat(preview.changes().get(2).samples().getFirst().reason().kind()).isEqualTo(PlanReason.Kind.DELETED);
        assertThat(preview.entries()).isEqualTo(9);
        assertThat(preview.deletions()).isEqualTo(1);
        assertThat(preview.held()).isEqualTo(20);
    }

    @Test
    void preview_namesTheFirst20ChangedFieldsOfASample() {
        PreviewTally tally = new PreviewTally();
        List<String> fields = java.util.stream.IntStream.rangeClosed(1, 30).mapToObj(i -> "values.attribute_" + i).toList();
        tally.added(entry(Phase.PRODUCTS, "product_updated", "SKU-1", PlanReason.changed(fields)));

        RunPreview preview = tally.preview(0, 1, false, ESTIMATE, Instant.parse("2026-03-06T10:00:00Z"));

        assertThat(preview.changes().getFirst().samples().getFirst().reason().changed()).isEqualTo(fields.subList(0, 20));
    }

    @Test
    void preview_countsEveryRejectedLine_andKeepsTheFirstFiveWithTheirLineNumbers() {
        PreviewTally tally = new PreviewTally();
        for (long line = 3; line <= 10; line++) {
            tally.rejected(new SnapshotLine.Rejected(line, "invalid JSON", null));
        }

        RunPreview preview = tally.preview(0, 0, false, ESTIMATE, Instant.parse("2026-03-06T10:00:00Z"));

        assertThat(preview.rejectedLines()).isEqualTo(8);
        assertThat(preview.firstRejected()).extracting(SnapshotLine.Rejected::lineNumber).containsExactly(3L, 4L, 5L, 6L, 7L);
        assertThat(preview.changes()).isEmpty();
    }

    private static PlannedEntry entry(Phase phase, String event, String id, PlanReason reason) {
        ResourceType type = event.startsWith("attribute_") ? ResourceType.ATTRIBUTE : ResourceType.PRODUCT;
        return new PlannedEntry(phase, event, new ResourceKey(type, id), List.of(), reason, null);
    }
}
