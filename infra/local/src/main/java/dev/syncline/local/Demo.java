package dev.syncline.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.sampleapp.SampleConfiguration;
import dev.syncline.testing.catalog.CatalogGenerator;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The demo synchronization, driven through the HTTP API as a PIM would: the operator registers the sample App and
 * makes the tenant {@value #TENANT_ID} with a key; with that key the PIM installs the App, configures it (its two
 * steps), uploads a generated catalog, triggers a run and follows it to its end.
 */
final class Demo {

    static final String APP_ID = "sample-feed";
    /** The tenant the demo's PIM is. */
    static final String TENANT_ID = "demo";
    /** The same seed every time, so that the demo catalog of a given size is always the same catalog. */
    static final long CATALOG_SEED = 42;
    /** Larger snapshots go through the presigned upload URL, as the API requires above this size. */
    static final long INLINE_MAX_BYTES = 4L * 1024 * 1024;

    private static final Set<String> ENDED = Set.of("finished", "finished_with_errors", "failed", "cancelled");
    private static final List<String> EVENTS = List.of("app_installed", "app_uninstalled", "attribute_created", "attribute_updated",
            "attribute_deleted", "category_created", "category_updated", "category_deleted", "product_created", "product_updated",
            "product_deleted", "synchronization_started", "synchronization_ended");
    private static final List<String> FEATURES = List.of("synchronization", "synchronization_full", "synchronization_file_download",
            "synchronization_file_download_latest");
    private static final long POLL_MILLIS = 250;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SynclineClient api;
    private final SampleApp app;
    private final Terminal terminal;
    private final Path workDirectory;

    Demo(SynclineClient api, SampleApp app, Terminal terminal, Path workDirectory) {
        this.api = api;
        this.app = app;
        this.terminal = terminal;
        this.workDirectory = workDirectory;
    }

    /** The same demo, sending {@code pim}'s key: what the PIM does after the operator's set-up. */
    Demo actingAs(SynclineClient pim) {
        return new Demo(pim, app, terminal, workDirectory);
    }

    /**
     * Creates the tenant {@value #TENANT_ID} unless it exists, and issues it a key: what the operator does for a new
     * PIM. Answers the key, which the API shows only this once.
     */
    String issueTenantKey() {
        SynclineClient.Answer tenant = api.get("/v1/tenants/" + TENANT_ID);
        if (tenant.status() == 404) {
            SynclineClient.Answer created = api.post("/v1/tenants", Map.of("id", TENANT_ID, "name", "Demo PIM"));
            if (created.status() != 201) {
                throw new LocalStackException("Creating the demo's tenant failed (" + created.status() + "): " + created.detail());
            }
        } else if (!tenant.ok()) {
            throw new LocalStackException("Reading the demo's tenant failed (" + tenant.status() + "): " + tenant.detail());
        }
        SynclineClient.Answer key = api.post("/v1/tenants/" + TENANT_ID + "/api-keys", Map.of("name", "local stack demo"));
        if (key.status() != 201) {
            throw new LocalStackException("Issuing the demo tenant's API key failed (" + key.status() + "): " + key.detail());
        }
        terminal.println("Tenant '" + TENANT_ID + "' has an API key (" + key.body().path("prefix").asText()
                + "…): the demo installs and runs with it, as the PIM would.");
        return key.body().path("key").asText();
    }

    /** Fails naming what to do when {@code pim}'s key is no longer accepted (its tenant disabled, the key revoked). */
    static void requireAccepted(SynclineClient pim, Path keyFile) {
        SynclineClient.Answer own = pim.get("/v1/tenants/" + TENANT_ID);
        if (!own.ok()) {
            throw new LocalStackException("The demo tenant's key in " + keyFile + " is refused (" + own.status() + "): "
                    + own.detail() + " Delete that file to issue a new one, or start with --wipe.");
        }
    }

    /** Registers the sample App, or registers it again under a higher version when its address changed. */
    void register() {
        SynclineClient.Answer existing = api.get("/v1/apps/" + APP_ID);
        String url = app.baseUri().toString();
        if (existing.status() == 200 && existing.body().path("url").asText().equals(url)
                && texts(existing.body().path("features")).equals(Set.copyOf(FEATURES))
                && texts(existing.body().path("events")).equals(Set.copyOf(EVENTS))
                && existing.body().path("configuration_schema").equals(tree(SampleConfiguration.SCHEMA))) {
            terminal.println("Sample App registered as '" + APP_ID + "' " + existing.body().path("version").asText() + " (from an earlier start).");
            return;
        }
        String version = existing.status() == 200 ? nextPatch(existing.body().path("version").asText()) : "1.0.0";
        SynclineClient.Answer registered = api.put("/v1/apps/" + APP_ID, manifest(version, url));
        if (!registered.ok()) {
            throw new LocalStackException("Registering the sample App failed (" + registered.status() + "): " + registered.detail());
        }
        String previousUrl = existing.body().path("url").asText();
        terminal.println(existing.status() != 200 ? "Sample App registered as '" + APP_ID + "' " + version + " at " + url + "."
                : previousUrl.equals(url) ? "Sample App registered again as '" + APP_ID + "' " + version + ": its manifest changed."
                : "Sample App registered again as '" + APP_ID + "' " + version + ": its address changed from " + previousUrl + " to " + url + ".");
    }

    private static Set<String> texts(JsonNode array) {
        Set<String> texts = new HashSet<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    static Map<String, Object> manifest(String version, String url) {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("name", "Sample feed");
        manifest.put("description", "The reference App: builds a CSV product feed from the catalog it receives.");
        manifest.put("version", version);
        manifest.put("compatible", "1.0.0");
        manifest.put("url", url);
        manifest.put("features", FEATURES);
        manifest.put("events", EVENTS);
        manifest.put("configuration_schema", tree(SampleConfiguration.SCHEMA));
        return manifest;
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the sample App's configuration is JSON", e);
        }
    }

    static String nextPatch(String version) {
        String[] parts = version.split("[.+-]");
        try {
            return parts[0] + "." + parts[1] + "." + (Integer.parseInt(parts[2]) + 1);
        } catch (RuntimeException e) {
            return "1.0.1";
        }
    }

    /**
     * Installs the sample App. It keeps its state in memory, so installations made by an earlier start are unknown to
     * it: those are uninstalled first (their runs stay readable) and the App is installed again.
     *
     * @return the installation id
     */
    String install() {
        List<String> forgotten = new ArrayList<>();
        for (JsonNode installation : api.get("/v1/installations?app_id=" + APP_ID).body().path("installations")) {
            String id = installation.path("id").asText();
            if (!installation.path("status").asText().equals("uninstalled") && !app.hasInstallation(id)) {
                api.delete("/v1/installations/" + id);
                forgotten.add(id);
            }
        }
        Map<String, Object> body = new HashMap<>();
        body.put("app_id", APP_ID);
        body.put("name", "Demo shop");
        body.put("api_url", "https://pim.example.com/api");
        SynclineClient.Answer installed = api.post("/v1/installations", body);
        if (installed.status() != 201) {
            throw new LocalStackException("Installing the sample App failed (" + installed.status() + "): " + installed.detail());
        }
        String id = installed.body().path("id").asText();
        if (forgotten.isEmpty()) {
            terminal.println("Sample App installed: installation " + id + ".");
        } else {
            terminal.println("Sample App installed again: installation " + id + ". The sample App keeps its state in memory and"
                    + " has forgotten installation " + String.join(", ", forgotten) + " of an earlier start, now uninstalled"
                    + " (its runs stay readable); this installation's first run sends the whole catalog.");
        }
        return id;
    }

    /**
     * Configures the installation through the API, step by step, with the sample App's example configuration: the
     * App refuses synchronization events until every step is stored, and Syncline refuses runs until then.
     */
    void configure(String installation) {
        String status = "";
        List<String> steps = new ArrayList<>();
        for (int index = 0; index < SampleConfiguration.EXAMPLE.size(); index++) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("index", index);
            body.put("configuration", tree(SampleConfiguration.EXAMPLE.get(index)));
            SynclineClient.Answer step = api.post("/v1/installations/" + installation + "/configuration", body);
            if (!step.ok()) {
                throw new LocalStackException("Configuring the sample App failed at step " + index + " (" + step.status()
                        + "): " + step.detail());
            }
            status = step.body().path("status").asText();
            steps.add(tree(SampleConfiguration.SCHEMA).path(index).path("title").asText("step " + index));
        }
        terminal.println("Sample App configured through the API: " + steps.size() + " steps accepted ("
                + String.join(", ", steps) + "); installation " + status + ".");
    }

    /** Generates the demo catalog to a file in the data directory and uploads it as a snapshot. */
    String upload(String installation, int products) {
        CatalogGenerator catalog = CatalogGenerator.create(CATALOG_SEED, products);
        Path file = workDirectory.resolve("demo-catalog.ndjson");
        long size;
        try {
            Files.createDirectories(workDirectory);
            catalog.writeTo(file);
            size = Files.size(file);
        } catch (IOException e) {
            throw new LocalStackException("Cannot write the demo catalog to " + file + ": " + e.getMessage(), e);
        }
        terminal.println(String.format(Locale.ROOT,
                "Demo catalog: %d products (simple, variable with variants, grouping), %d attributes, %d categories, in %d languages: %s of NDJSON.",
                catalog.productCount(), catalog.attributeCount(), catalog.categoryCount(), CatalogGenerator.LANGUAGES.size(),
                size < 1_000_000 ? (size + 999) / 1000 + " kB" : String.format(Locale.ROOT, "%.1f MB", size / 1e6)));
        String path = "/v1/installations/" + installation + "/snapshots";
        if (size <= INLINE_MAX_BYTES) {
            SynclineClient.Answer stored = api.postNdjson(path, file);
            if (stored.status() != 201) {
                throw new LocalStackException("Uploading the snapshot failed (" + stored.status() + "): " + stored.detail());
            }
            return stored.body().path("snapshot_id").asText();
        }
        SynclineClient.Answer upload = api.post(path, Map.of());
        if (upload.status() != 201) {
            throw new LocalStackException("Asking for an upload URL failed (" + upload.status() + "): " + upload.detail());
        }
        Map<String, String> headers = new HashMap<>();
        upload.body().path("upload_headers").properties().forEach(header -> headers.put(header.getKey(), header.getValue().asText()));
        int status = api.upload(URI.create(upload.body().path("upload_url").asText()), headers, file);
        if (status / 100 != 2) {
            throw new LocalStackException("Uploading the snapshot to its presigned URL failed with status " + status + ".");
        }
        return upload.body().path("snapshot_id").asText();
    }

    /** @return the run's id */
    String trigger(String installation, String snapshotId, String mode) {
        SynclineClient.Answer triggered = api.post("/v1/installations/" + installation + "/synchronizations",
                Map.of("mode", mode, "snapshot_id", snapshotId));
        if (triggered.status() != 202) {
            throw new LocalStackException("Triggering the synchronization failed (" + triggered.status() + "): " + triggered.detail());
        }
        return triggered.body().path("synchronization").path("id").asText();
    }

    /** Polls the run and shows its progress until it ends; returns it as it ended. */
    JsonNode follow(String runId) {
        RunProgress progress = new RunProgress(terminal);
        while (true) {
            SynclineClient.Answer answer = api.get("/v1/synchronizations/" + runId);
            if (answer.status() != 200) {
                throw new LocalStackException("Reading the run failed (" + answer.status() + "): " + answer.detail());
            }
            JsonNode run = answer.body();
            if (ENDED.contains(run.path("status").asText())) {
                progress.finish(run);
                return run;
            }
            progress.update(run);
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalStackException("Interrupted while following the run", e);
            }
        }
    }

    /**
     * The installation's constant feed URL, where the App's latest file is served without an API key; empty where
     * the API has no feed for it.
     */
    Optional<String> feedUrl(String installation) {
        SynclineClient.Answer feed = api.get("/v1/installations/" + installation + "/feed");
        return feed.status() == 200 && feed.body().hasNonNull("feed_url") ? Optional.of(feed.body().get("feed_url").asText()) : Optional.empty();
    }

    /** Runs of earlier starts of the demo, newest first per installation (one page each). */
    static List<JsonNode> earlierRuns(SynclineClient api) {
        List<JsonNode> runs = new ArrayList<>();
        SynclineClient.Answer installations = api.get("/v1/installations?app_id=" + APP_ID);
        if (installations.status() != 200) {
            return runs;
        }
        for (JsonNode installation : installations.body().path("installations")) {
            api.get("/v1/installations/" + installation.path("id").asText() + "/synchronizations").body()
                    .path("synchronizations").forEach(runs::add);
        }
        runs.sort((a, b) -> b.path("created_at").asText().compareTo(a.path("created_at").asText()));
        return runs;
    }
}
