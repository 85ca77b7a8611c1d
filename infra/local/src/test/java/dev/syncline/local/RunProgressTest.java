package dev.syncline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** How a run's progress and summary read on the console. */
class RunProgressTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode run(String status, String phase, long productsDone, long productsFailed) throws Exception {
        return JSON.readTree("""
                {"id":"r-1","mode":"incremental","status":"%s","current_phase":%s,"progress_percent":40,"duration_ms":8000,"rejected_lines":0,
                 "phases":{"attributes":{"planned":8,"succeeded":8,"failed":0,"cancelled":0},
                           "categories":{"planned":12,"succeeded":12,"failed":0,"cancelled":0},
                           "products":{"planned":300,"succeeded":%d,"failed":%d,"cancelled":0},
                           "relations":{"planned":80,"succeeded":0,"failed":0,"cancelled":0}},
                 "totals":{"planned":400,"succeeded":%d,"failed":%d,"cancelled":0}}
                """.formatted(status, phase == null ? "null" : "\"" + phase + "\"", productsDone - productsFailed, productsFailed,
                20 + productsDone - productsFailed, productsFailed));
    }

    @Test
    void terminalDisplay_hasABarPerPhaseAndAStatusLine() throws Exception {
        var lines = RunProgress.lines(run("execution", "products", 150, 3));

        assertThat(lines).containsExactly(
                "  attributes  [##############################] 100%        8/8",
                "  categories  [##############################] 100%       12/12",
                "  products    [###############...............]  50%      150/300  3 failed",
                "  relations   [..............................]   0%        0/80",
                "  delivering to the App, products phase, 8.0 s, 21 entries/s");
    }

    @Test
    void plainLine_givesEveryPhaseOnOneLine() throws Exception {
        assertThat(RunProgress.plainLine(run("execution", "products", 150, 3)))
                .isEqualTo("  [   8.0 s] execution (products): attributes 8/8, categories 12/12, products 150/300 (3 failed), relations 0/80 - 40%");
    }

    @Test
    void summary_givesEntriesPerPhaseAndStatus_theDurationAndTheRate() throws Exception {
        var lines = RunSummary.lines(run("finished_with_errors", null, 300, 3));

        assertThat(lines.getFirst()).isEqualTo("Synchronization r-1 finished_with_errors (incremental): 320 entries in 8.0 s, 40 entries/s");
        assertThat(lines).contains("  products          300        297        3          0", "  total             400        317        3          0");
    }
}
