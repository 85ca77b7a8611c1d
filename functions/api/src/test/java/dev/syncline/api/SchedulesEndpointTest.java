package dev.syncline.api;

import static dev.syncline.api.Manifests.valid;
import static dev.syncline.api.Manifests.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Setting, reading and removing an installation's schedule through the handler. */
@AwsIntegrationTest
class SchedulesEndpointTest {

    private static final List<String> SCHEDULED = List.of("synchronization", "synchronization_full", "synchronization_scheduler");
    private static final String SECRET = "Bearer pim-export-7f3a";

    private AwsStack stack;
    private SampleApp app;
    private TestDeployment api;
    private String installation;

    @BeforeEach
    void start(AwsStack stack) throws IOException {
        this.stack = stack;
        app = SampleApp.start(0);
        api = TestDeployment.allowingLocalApps(stack);
        api.register("shop-export", with(valid(app.baseUri(), "1.0.0"), "features", SCHEDULED));
        installation = api.install("shop-export").path("id").asText();
    }

    @AfterEach
    void stop() {
        api.close();
        app.close();
    }

    @Test
    void put_aRateWithASnapshotSource_answersTheScheduleWithItsNextFireTime_neverTheSecret() {
        TestDeployment.Response response = api.put(path(), body("rate(15 minutes)", "Europe/Warsaw", "full",
                source("http://127.0.0.1:9/catalog.ndjson.gz", "Authorization", SECRET)));

        assertThat(response.status()).isEqualTo(200);
        JsonNode schedule = response.json();
        assertThat(schedule.path("expression").asText()).isEqualTo("rate(15 minutes)");
        assertThat(schedule.path("time_zone").asText()).isEqualTo("Europe/Warsaw");
        assertThat(schedule.path("mode").asText()).isEqualTo("full");
        assertThat(schedule.path("snapshot").asText()).isEqualTo("snapshot_source");
        assertThat(schedule.path("snapshot_source").path("url").asText()).isEqualTo("http://127.0.0.1:9/catalog.ndjson.gz");
        assertThat(schedule.path("snapshot_source").path("header_name").asText()).isEqualTo("Authorization");
        assertThat(schedule.path("snapshot_source").path("header_value_set").asBoolean()).isTrue();
        assertThat(Instant.parse(schedule.path("next_fire_at").asText()))
                .isEqualTo(Instant.parse(schedule.path("updated_at").asText()).plus(Duration.ofMinutes(15)));
        assertThat(schedule.path("last_outcome").isNull()).isTrue();
        assertThat(response.body()).doesNotContain(SECRET);

        TestDeployment.Response read = api.get(path());
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(schedule);
        assertThat(read.body()).doesNotContain(SECRET);
    }

    @Test
    void put_aCronInATimeZone_answersItsNextFireTimeInThatZone() {
        JsonNode schedule = api.put(path(), body("cron(30 6 * * ? *)", "America/New_York", null, null)).json();

        Instant next = Instant.parse(schedule.path("next_fire_at").asText());
        assertThat(next.atZone(java.time.ZoneId.of("America/New_York")).toLocalTime()).isEqualTo(java.time.LocalTime.of(6, 30));
        assertThat(next).isBetween(Instant.now(), Instant.now().plus(Duration.ofDays(1)));
        assertThat(schedule.path("mode").asText()).isEqualTo("incremental");
        assertThat(schedule.path("snapshot").asText()).isEqualTo("latest_upload");
        assertThat(schedule.has("snapshot_source")).isFalse();
    }

    @Test
    void put_whatEventBridgeSchedulerWouldRefuse_answers422NamingEveryFieldToFix() {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("url", "http://127.0.0.1:9/catalog");
        source.put("header_name", "Authorization");
        TestDeployment.Response response = api.put(path(), body("cron(0 6 * * * *)", "CET+1", "hourly", source));

        assertThat(response.status()).isEqualTo(422);
        assertThat(fields(response)).containsExactly("expression", "time_zone", "mode", "snapshot_source.header_value");
        assertThat(messages(response)).anySatisfy(m -> assertThat(m).contains("'?' in day-of-month or day-of-week"))
                .anySatisfy(m -> assertThat(m).startsWith("time_zone 'CET+1' is not an IANA time zone name: e.g. Europe/Warsaw"))
                .anySatisfy(m -> assertThat(m).isEqualTo("mode must be incremental or full; got 'hourly'"));
        assertThat(api.get(path()).status()).isEqualTo(404);
    }

    @Test
    void put_aRateWithTheWrongUnit_saysHowToWriteIt() {
        TestDeployment.Response response = api.put(path(), body("rate(1 minutes)", null, null, null));

        assertThat(response.status()).isEqualTo(422);
        assertThat(messages(response)).containsExactly("expression 'rate(1 minutes)' must say rate(1 minute): singular for 1, plural above");
    }

    @Test
    void put_forAnAppWhoseManifestDoesNotEnableSchedules_answers409() {
        api.register("no-schedules", valid(app.baseUri(), "1.0.0"));
        String other = api.install("no-schedules").path("id").asText();

        TestDeployment.Response response = api.put("/v1/installations/" + other + "/schedule", body("rate(5 minutes)", null, null, null));

        assertThat(response.status()).isEqualTo(409);
        assertThat(response.json().path("detail").asText()).contains("does not enable synchronization_scheduler");
    }

    @Test
    void put_aSnapshotSourceAtAnInternalAddress_onADeploymentForAws_answers422() {
        try (TestDeployment aws = TestDeployment.publicAppsOnly(stack)) {
            TestDeployment.Response metadata = aws.put(path(), body("rate(5 minutes)", null, null,
                    source("https://169.254.169.254/latest/meta-data", null, null)));
            TestDeployment.Response plain = aws.put(path(), body("rate(5 minutes)", null, null,
                    source("http://pim.example.com/export.ndjson", null, null)));

            assertThat(metadata.status()).isEqualTo(422);
            assertThat(messages(metadata)).singleElement().asString()
                    .startsWith("snapshot_source.url must not point at a cloud metadata address: 169.254.169.254");
            assertThat(plain.status()).isEqualTo(422);
            assertThat(messages(plain)).containsExactly("snapshot_source.url must use https; got 'http://pim.example.com/export.ndjson'");
        }
    }

    @Test
    void delete_removesTheSchedule_thenAnswers404() {
        // Without a time zone: UTC by its IANA name, which EventBridge Scheduler accepts (it refuses "Z").
        assertThat(api.put(path(), body("rate(5 minutes)", null, null, null)).json().path("time_zone").asText()).isEqualTo("UTC");

        assertThat(api.delete(path()).status()).isEqualTo(204);
        assertThat(api.get(path()).status()).isEqualTo(404);
        TestDeployment.Response again = api.delete(path());
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.json().path("detail").asText()).contains("has no schedule; set one with PUT /v1/installations/");
    }

    @Test
    void uninstall_deletesTheSchedule() {
        api.put(path(), body("rate(5 minutes)", null, null, null));

        assertThat(api.delete("/v1/installations/" + installation).status()).isEqualTo(200);

        assertThat(api.get(path()).status()).isEqualTo(404);
    }

    private String path() {
        return "/v1/installations/" + installation + "/schedule";
    }

    private static Map<String, Object> body(String expression, String timeZone, String mode, Map<String, Object> source) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("expression", expression);
        if (timeZone != null) {
            body.put("time_zone", timeZone);
        }
        if (mode != null) {
            body.put("mode", mode);
        }
        if (source != null) {
            body.put("snapshot_source", source);
        }
        return body;
    }

    private static Map<String, Object> source(String url, String headerName, String headerValue) {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("url", url);
        if (headerName != null) {
            source.put("header_name", headerName);
            source.put("header_value", headerValue);
        }
        return source;
    }

    private static List<String> fields(TestDeployment.Response response) {
        List<String> fields = new ArrayList<>();
        response.json().path("violations").forEach(v -> fields.add(v.path("field").asText()));
        return fields;
    }

    private static List<String> messages(TestDeployment.Response response) {
        List<String> messages = new ArrayList<>();
        response.json().path("violations").forEach(v -> messages.add(v.path("message").asText()));
        return messages;
    }
}
