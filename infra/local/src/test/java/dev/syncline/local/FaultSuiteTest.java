package dev.syncline.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.local.FaultSuite.Outcome;
import dev.syncline.local.FaultSuite.Scenario;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fault suite's short version: every scenario on small catalogs and short time limits, on one stack. A
 * scenario passes when every run ended within the bound and kept every rule of {@link FaultChecks}; the figures are
 * printed at the end (the long version, with its table, is the command in docs/operations.md).
 */
class FaultSuiteTest {

    private static final FaultSuite SUITE = new FaultSuite(FaultSuite.Scale.SHORT);
    private static final List<Outcome> OUTCOMES = new ArrayList<>();

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void everyRunEnds_countsAreExact_andTheNextRunSendsExactlyWhatDidNotSucceed(Scenario scenario) {
        Outcome outcome = SUITE.run(scenario);
        OUTCOMES.add(outcome);

        assertThat(outcome.runs()).as("runs checked").isPositive();
        assertThat(outcome.entries()).as("entries planned under faults").isPositive();
        assertThat(outcome.violations()).as(scenario.description()).isEmpty();
    }

    @AfterAll
    static void printFiguresAndStop() {
        SUITE.close();
        System.out.print(FaultSuite.table(OUTCOMES));
    }
}
