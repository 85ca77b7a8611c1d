package dev.syncline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.sampleapp.Faults;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The operator dashboard in a real browser (Debian's headless chromium) against the whole local stack and the
 * sample App: signing in, starting runs, live progress, failed entries, cancelling, and the run's file. Saves
 * screenshots of the main pages, at laptop and phone width, under {@code target/screenshots}. Skipped, saying why,
 * where chromium is not installed.
 */
@AwsIntegrationTest
class DashboardBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> EVENTS = List.of("app_installed", "app_uninstalled", "attribute_created", "attribute_updated",
            "attribute_deleted", "category_created", "category_updated", "category_deleted", "product_created", "product_updated",
            "product_deleted", "synchronization_started", "synchronization_ended");

    private SampleApp app;
    private LocalSyncline syncline;
    private ApiClient api;
    private DashboardBrowser browser;

    @BeforeAll
    static void needsChromium() {
        Assumptions.assumeTrue(DashboardBrowser.unavailable().isEmpty(), () -> "Skipped: " + DashboardBrowser.unavailable().orElseThrow());
    }

    @BeforeEach
    void start(AwsStack stack) throws Exception {
        app = SampleApp.start(0);
        syncline = LocalSyncline.start(LocalSyncline.Options.forTests(stack));
        api = new ApiClient(syncline.apiUri(), syncline.apiKey());
        browser = DashboardBrowser.start();
    }

    @AfterEach
    void stop() {
        try {
            browser.close();
        } finally {
            syncline.close();
            app.close();
        }
    }

    @Test
    void signIn_refusesAWrongKey_thenListsInstallationsWithTheirLastRun_andA401ReturnsToSignIn() {
        String installation = install(List.of("synchronization", "synchronization_full"));
        api.awaitRun(trigger(installation, "incremental", snapshot(installation)), WAIT);

        browser.driver.get(syncline.apiUri() + "/");
        WebElement key = browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
        assertThat(browser.driver.switchTo().activeElement()).isEqualTo(key);
        browser.screenshot("sign-in-1280");
        key.sendKeys("not-a-key");
        browser.driver.findElement(By.cssSelector("form.sign-in button[type=submit]")).click();
        browser.waitUpTo(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("sign-in-error"), "not one of this deployment's keys"));

        signIn();
        WebElement row = browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#installations tr[data-installation='" + installation + "']")));
        browser.waitUpTo(WAIT).until(ExpectedConditions.textToBePresentInElement(row, "finished"));
        assertThat(row.getText()).contains("Sample feed").contains("sample-feed").contains("active").contains("incremental");
        browser.screenshot("installations-1280");
        browser.width(390);
        browser.screenshot("installations-390");
        browser.width(1280);

        // A key the API no longer accepts (rotated away meanwhile) sends the operator back to sign-in.
        browser.script("sessionStorage.setItem('syncline.apiKey', 'rotated-away')");
        row.findElement(By.linkText("Sample feed")).click();
        browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
        assertThat(browser.driver.findElement(By.cssSelector("form.sign-in")).getText()).contains("refused the key");
    }

    @Test
    void aRunStartedFromAnUploadedFile_showsLiveProgressTo100_andItsFailedEntryWithTheAppsAnswer() throws Exception {
        app.setFaults(Faults.none().withLatency(Duration.ofMillis(120)).withResourceStatus("SKU-007", 422, "price below cost"));
        String installation = install(List.of("synchronization", "synchronization_full"));
        Path file = Files.createTempFile("catalog-", ".ndjson");
        Files.writeString(file, TestCatalog.standard().ndjson());

        signIn();
        browser.driver.get(syncline.apiUri() + "/#/installations/" + installation);
        WebElement start = browser.waitUpTo(WAIT).until(ExpectedConditions.elementToBeClickable(By.id("start-run")));
        assertThat(start.getText()).isEqualTo("Start incremental run from a file…");
        browser.screenshot("installation-empty-1280");
        start.click();
        browser.driver.findElement(By.id("snapshot-file")).sendKeys(file.toAbsolutePath().toString());

        // The history redraws every 1.5 s: a link found just before a redraw is gone by the click, so retry.
        browser.waitUpTo(WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(driver -> {
            driver.findElement(By.cssSelector("#runs tbody tr[data-run] a")).click();
            return true;
        });
        WebElement overall = browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".overall [role=progressbar]")));
        List<Integer> seen = new ArrayList<>();
        boolean shotWhileRunning = false;
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            int percent = Integer.parseInt(overall.getAttribute("aria-valuenow"));
            if (seen.isEmpty() || seen.getLast() != percent) {
                seen.add(percent);
            }
            if (!shotWhileRunning && percent > 0 && percent < 100) {
                browser.screenshot("run-running-1280");
                shotWhileRunning = true;
            }
            if (percent == 100 && statusOfRun().equals("finished_with_errors")) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(seen).as("progress values the page showed").isSorted().endsWith(100);
        assertThat(seen.size()).as("the page updated progress without a reload: " + seen).isGreaterThan(1);
        assertThat(statusOfRun()).isEqualTo("finished_with_errors");
        assertThat(browser.driver.findElement(By.cssSelector("[data-phase=products] .counts")).getText()).contains("52").contains("51");
        // What the run cost, as its functions recorded it: a total in dollars and each service beside it.
        WebElement cost = browser.driver.findElement(By.id("run-cost"));
        assertThat(cost.findElement(By.cssSelector(".cost-total")).getText()).matches("\\$0\\.0*[1-9][0-9]*");
        assertThat(cost.findElement(By.cssSelector("li[data-service=dynamodb]")).getText()).contains("write units");
        assertThat(cost.findElement(By.cssSelector("li[data-service=lambda]")).getText()).contains("invocations").contains("GB-s");
        browser.screenshot("run-1280");

        new Select(browser.driver.findElement(By.id("filter-status"))).selectByValue("failed");
        browser.waitUpTo(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("entries-status"), "Showing 1 entry"));
        WebElement failed = browser.driver.findElement(By.cssSelector("#entries tbody tr[data-status=failed]"));
        assertThat(failed.getText()).contains("product SKU-007").contains("product_created").contains("422").contains("created");
        assertThat(browser.driver.findElement(By.cssSelector("#entries tr.error-row")).getText())
                .contains("HTTP 422 after 1 attempt").contains("price below cost");
        assertThat(browser.driver.getCurrentUrl()).endsWith("?status=failed");

        new Select(browser.driver.findElement(By.id("filter-event"))).selectByValue("product_updated");
        browser.waitUpTo(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("entries-status"), "No entries match"));
        new Select(browser.driver.findElement(By.id("filter-event"))).selectByValue("product_created");
        browser.waitUpTo(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("entries-status"), "Showing 1 entry"));
        browser.screenshot("run-failed-entries-1280");
        browser.width(390);
        browser.screenshot("run-failed-entries-390");
        browser.width(1280);

        // Paging: a page at a time, never the whole run, and never more than the page size.
        new Select(browser.driver.findElement(By.id("filter-event"))).selectByValue("");
        new Select(browser.driver.findElement(By.id("filter-status"))).selectByValue("");
        new Select(browser.driver.findElement(By.id("filter-limit"))).selectByValue("25");
        browser.waitUpTo(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("entries-status"), "Showing 25 entries on page 1."));
        assertThat(browser.driver.getCurrentUrl()).endsWith("?limit=25");
        browser.driver.findElement(By.id("entries-next")).click();
        browser.waitUpTo(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("entries-status"), "page 2"));
        browser.driver.findElement(By.id("entries-previous")).click();
        browser.waitUpTo(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("entries-status"), "on page 1"));

        // The installation adds its runs' costs up by month: this month holds the one run.
        browser.driver.get(syncline.apiUri() + "/#/installations/" + installation);
        String month = java.time.YearMonth.now(java.time.ZoneOffset.UTC).toString();
        WebElement thisMonth = browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#costs tbody tr[data-month='" + month + "']")));
        assertThat(thisMonth.findElements(By.cssSelector("td")).get(0).getText()).isEqualTo("1");
        assertThat(thisMonth.findElements(By.cssSelector("td")).get(1).getText()).matches("\\$0\\.0*[1-9][0-9]*");
        assertThat(browser.driver.findElements(By.cssSelector("#costs tbody tr"))).hasSize(6);
        browser.screenshot("installation-costs-1280");
    }

    @Test
    void aSlowRun_startedWithTheLastSnapshot_isCancelledFromTheInstallationPage() {
        String installation = install(List.of("synchronization", "synchronization_full"));
        api.awaitRun(trigger(installation, "incremental", snapshot(installation)), WAIT);
        app.setFaults(Faults.none().withLatency(Duration.ofSeconds(3)));

        signIn();
        browser.driver.get(syncline.apiUri() + "/#/installations/" + installation);
        WebElement toggle = browser.waitUpTo(WAIT).until(ExpectedConditions.elementToBeClickable(By.id("start-run-menu-button")));
        assertThat(browser.driver.findElement(By.id("start-run")).getText()).isEqualTo("Re-run incremental with last snapshot");
        toggle.click();
        WebElement menu = browser.driver.findElement(By.id("start-run-menu"));
        assertThat(menu.findElements(By.cssSelector("[role=menuitem]"))).extracting(WebElement::getText).containsExactly(
                "Incremental run, last snapshot", "Incremental run, upload NDJSON…", "Full run, last snapshot", "Full run, upload NDJSON…",
                "Preview incremental run, last snapshot", "Preview incremental run, upload NDJSON…", "Preview full run, last snapshot",
                "Preview full run, upload NDJSON…");
        assertThat(browser.driver.switchTo().activeElement().getText()).isEqualTo("Incremental run, last snapshot");
        browser.screenshot("installation-menu-1280");
        menu.findElement(By.cssSelector("[data-mode=full][data-source=last]")).click();

        WebElement cancel = browser.waitUpTo(WAIT).until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("#runs tbody tr[data-status=execution] button.danger, #runs tbody tr[data-status=preparing] button.danger")));
        String runId = cancel.findElement(By.xpath("ancestor::tr")).getAttribute("data-run");
        browser.waitUpTo(WAIT).until(ExpectedConditions.attributeToBe(By.cssSelector("#runs tbody tr[data-run='" + runId + "']"), "data-status", "execution"));
        assertThat(browser.driver.findElement(By.id("start-run")).isEnabled()).as("no second run while one is active").isFalse();
        browser.screenshot("installation-running-1280");
        browser.width(390);
        browser.screenshot("installation-running-390");
        browser.width(1280);

        browser.waitUpTo(WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(driver -> {
            driver.findElement(By.cssSelector("#runs tbody tr[data-run='" + runId + "'] button.danger")).click();
            return true;
        });
        browser.waitUpTo(WAIT).until(ExpectedConditions.attributeToBe(By.cssSelector("#runs tbody tr[data-run='" + runId + "']"), "data-status", "cancelled"));
        assertThat(api.get("/v1/synchronizations/" + runId).json("status").asText()).isEqualTo("cancelled");
        assertThat(api.get("/v1/synchronizations/" + runId).json("mode").asText()).isEqualTo("full");
        browser.waitUpTo(WAIT).until(ExpectedConditions.elementToBeClickable(By.id("start-run")));
        browser.screenshot("installation-1280");
    }

    @Test
    void aRunsFile_isDownloaded_andTheLatestFeedUrlCanBeCopied() throws Exception {
        String installation = install(List.of("synchronization", "synchronization_full", "synchronization_file_download",
                "synchronization_file_download_latest"));
        JsonNode run = api.awaitFile(api.awaitRun(trigger(installation, "incremental", snapshot(installation)), WAIT).path("id").asText(), WAIT);
        assertThat(run.path("file").path("status").asText()).isEqualTo("stored");
        ApiClient.Answer link = api.get("/v1/synchronizations/" + run.path("id").asText() + "/file", Map.of("Accept", "application/json"));
        // A page cannot read a redirect's Location, so the dashboard asks for the link as JSON and follows it itself.
        assertThat(link.status()).isEqualTo(200);
        assertThat(link.body().path("download_url").asText()).startsWith("http");

        signIn();
        browser.driver.get(syncline.apiUri() + "/#/runs/" + run.path("id").asText());
        // The run page redraws while it follows the run's notices: a button found just before a redraw is gone by the click.
        browser.waitUpTo(WAIT).until(driver -> {
            WebElement download = ExpectedConditions.elementToBeClickable(By.id("download-file")).apply(driver);
            if (download == null) {
                return false;
            }
            download.click();
            return true;
        });
        browser.waitUpTo(WAIT).until(driver -> !browser.downloadedFiles().isEmpty());
        assertThat(Files.readString(browser.downloadedFiles().getFirst())).contains("SKU-050");
        // The notices the App was sent about the run, after their retries.
        assertThat(browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#run-notices li[data-event='synchronization_ended']"))).getText())
                .contains("synchronization_ended").contains("delivered").contains("1 attempt");
        browser.screenshot("run-file-1280");
    }

    /**
     * The run's figures once its {@code run_ended} line is in. A function writes its metric lines when its
     * invocation ends: the worker that sets a run's final status then still tells the App the run ended (here after
     * the App's 80 ms), so the API shows the run ended a moment before its figures do.
     */
    private JsonNode measuredOnceEnded(String runId) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        JsonNode measured;
        do {
            measured = api.get("/v1/metrics?synchronization_id=" + runId).body().path("synchronizations").path(0);
            if (measured.hasNonNull("ended_as")) {
                return measured;
            }
            Thread.sleep(100);
        } while (Instant.now().isBefore(deadline));
        return measured;
    }

    @Test
    void aFinishedRunsPage_chartsItsThroughputAndAppLatency_asTheFunctionsMeasuredThem() throws InterruptedException {
        app.setFaults(Faults.none().withLatency(Duration.ofMillis(80)).withResourceStatus("SKU-007", 422, "price below cost"));
        String installation = install(List.of("synchronization", "synchronization_full"));
        JsonNode run = api.awaitRun(trigger(installation, "incremental", snapshot(installation)), WAIT);
        String id = run.path("id").asText();
        long delivered = run.path("totals").path("succeeded").asLong() + run.path("totals").path("failed").asLong();
        assertThat(delivered).isPositive();

        JsonNode measured = measuredOnceEnded(id);
        assertThat(measured.path("entries").path("succeeded").asLong()).isEqualTo(run.path("totals").path("succeeded").asLong());
        assertThat(measured.path("entries").path("failed").asLong()).isEqualTo(1);
        assertThat(measured.path("app_latency_ms").path("p50").asDouble()).as("the App answers after 80 ms").isGreaterThanOrEqualTo(80);
        assertThat(measured.path("ended_as").asText()).as("the worker's run_ended line").isEqualTo("finished_with_errors");
        assertThat(measured.path("planner_resources_per_second").asDouble()).as("the planner's line").isPositive();
        assertThat(api.get("/v1/metrics?installation_id=" + installation).body().path("totals").path("runs_started").asLong())
                .as("the api function's line").isEqualTo(1);

        signIn();
        browser.driver.get(syncline.apiUri() + "/#/runs/" + id);
        browser.waitUpTo(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("metrics-entries"), String.valueOf(delivered)));
        assertThat(browser.driver.findElement(By.id("metrics-entries")).getText()).isEqualTo(String.valueOf(delivered));
        String p95 = browser.driver.findElement(By.id("metrics-latency-p95")).getText();
        assertThat(p95).matches("\\d+ ms");
        assertThat(Integer.parseInt(p95.replace(" ms", ""))).isGreaterThanOrEqualTo(80);

        WebElement throughput = browser.driver.findElement(By.id("metrics-throughput"));
        assertThat(throughput.getAttribute("aria-label")).startsWith("Entries per second: entries/s up to ");
        assertThat(throughput.findElements(By.cssSelector("[data-series='entries/s']"))).as("a line or a point of entries/s").isNotEmpty();
        WebElement latency = browser.driver.findElement(By.id("metrics-latency"));
        assertThat(latency.findElements(By.cssSelector("[data-series=p50]"))).isNotEmpty();
        assertThat(latency.findElements(By.cssSelector("[data-series=p95]"))).isNotEmpty();
        String highest = latency.getAttribute("aria-label").replaceAll(".*p95 up to ([0-9.]+).*", "$1");
        assertThat(Double.parseDouble(highest)).as("the chart's highest p95").isGreaterThanOrEqualTo(80);
        browser.screenshot("run-metrics-1280");
        browser.width(390);
        browser.screenshot("run-metrics-390");
        browser.width(1280);
    }

    @Test
    void anUnconfiguredInstallation_isConfiguredThroughTheForm_showingEachRefusalAtItsField_thenCanRun() {
        String installation = api.installSampleAppUnconfigured(app.baseUri(), List.of("synchronization"), EVENTS, 2);
        // The catalog's attributes and languages fill the second step's dictionary selects.
        snapshot(installation);

        signIn();
        browser.driver.get(syncline.apiUri() + "/#/installations/" + installation);
        WebElement shop = browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("form.config-step[data-step='0']")));
        browser.waitUpTo(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("start-hint"),
                "Configure the installation below"));
        assertThat(browser.driver.findElements(By.id("start-run"))).isEmpty();
        Select channel = new Select(browser.waitUpTo(WAIT).until(ExpectedConditions.elementToBeClickable(
                shop.findElement(By.cssSelector("[data-path='channel'] select")))));
        assertThat(channel.getOptions()).extracting(WebElement::getText)
                .containsExactly("Choose…", "Web shop", "Marketplace", "Retail stores");

        // Nothing filled in: the step's schema refuses both required fields, each at its field.
        shop.findElement(By.cssSelector("button[type=submit]")).click();
        browser.waitUpTo(WAIT).until(driver -> !errorAt(shop, "shop_url").isEmpty());
        assertThat(errorAt(shop, "channel")).isNotEmpty();
        assertThat(shop.findElement(By.cssSelector("[data-path='shop_url'] input")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(app.receivedRequests(request -> request.path().equals("/configuration") && request.method().equals("POST"))).isEmpty();

        // A URL the schema lets through but the App refuses: the App's own message, at the App's field.
        channel.selectByVisibleText("Marketplace");
        shop.findElement(By.cssSelector("[data-path='shop_url'] input")).sendKeys("http://");
        shop.findElement(By.cssSelector("[data-path='api_key'] input")).sendKeys("shop-secret-9");
        shop.findElement(By.cssSelector("button[type=submit]")).click();
        browser.waitUpTo(WAIT).until(driver -> errorAt(shop, "shop_url").equals("This value is not a valid URL."));
        assertThat(errorAt(shop, "channel")).isEmpty();
        assertThat(shop.findElement(By.cssSelector(".form-error")).getText()).contains("The App refused this step.");
        browser.screenshot("configuration-refused-1280");

        WebElement url = shop.findElement(By.cssSelector("[data-path='shop_url'] input"));
        url.clear();
        url.sendKeys("https://shop.example.com");
        shop.findElement(By.cssSelector("button[type=submit]")).click();
        browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("form.config-step[data-step='1']")));
        browser.waitUpTo(WAIT).until(driver -> driver.findElement(By.cssSelector("form.config-step[data-step='0'] .badge")).getText().equals("Stored"));

        // The second step: an enum, a checkbox, a catalog-backed select and a mapper row from the catalog's text attributes.
        WebElement step1 = browser.driver.findElement(By.cssSelector("form.config-step[data-step='1']"));
        new Select(step1.findElement(By.cssSelector("[data-path='currency'] select"))).selectByVisibleText("PLN");
        step1.findElement(By.cssSelector("[data-path='include_prices'] input")).click();
        Select language = new Select(browser.waitUpTo(WAIT).until(ExpectedConditions.elementToBeClickable(
                step1.findElement(By.cssSelector("[data-path='language'] select")))));
        assertThat(language.getOptions()).extracting(WebElement::getText).contains("de_DE", "en_GB");
        language.selectByValue("de_DE");
        step1.findElement(By.cssSelector("[data-path='columns'] > button")).click();
        Select attribute = new Select(browser.waitUpTo(WAIT).until(ExpectedConditions.elementToBeClickable(
                step1.findElement(By.cssSelector("[data-path='columns[0].attribute'] select")))));
        assertThat(attribute.getOptions()).extracting(WebElement::getText).containsExactly("Choose…", "Description");
        attribute.selectByVisibleText("Description");
        step1.findElement(By.cssSelector("[data-path='columns[0].header'] input")).sendKeys("Beschreibung");
        browser.screenshot("configuration-1280");
        browser.width(390);
        browser.screenshot("configuration-390");
        browser.width(1280);
        step1.findElement(By.cssSelector("button[type=submit]")).click();

        browser.waitUpTo(WAIT).until(ExpectedConditions.elementToBeClickable(By.id("start-run")));
        assertThat(browser.driver.findElement(By.cssSelector(".title-row .badge")).getAttribute("data-status")).isEqualTo("active");
        JsonNode stored = app.configuration(installation).orElseThrow();
        assertThat(stored.path(0).path("channel").asText()).isEqualTo("marketplace");
        assertThat(stored.path(0).path("api_key").asText()).isEqualTo("shop-secret-9");
        assertThat(stored.path(1)).isEqualTo(ApiClient.tree("{\"currency\":\"PLN\",\"include_prices\":true,\"language\":\"de_DE\","
                + "\"columns\":[{\"attribute\":\"description\",\"header\":\"Beschreibung\"}]}"));
        // The stored secret never reaches the page.
        assertThat(browser.driver.getPageSource()).doesNotContain("shop-secret-9");
    }

    @Test
    void aRunHeldByTheDeletionGuard_showsWhatItWouldDelete_andIsCancelledOrConfirmedFromTheRunPage() {
        String installation = install(List.of("synchronization"));
        api.awaitRun(trigger(installation, "incremental", snapshot(installation)), WAIT);
        signIn();

        String cancelled = heldRun(installation);
        browser.driver.get(syncline.apiUri() + "/#/runs/" + cancelled);
        WebElement notice = browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#deletion-guard.notice")));
        assertThat(notice.getText()).contains("would delete 47 of the 61 resources the App holds").contains("Nothing was sent");
        assertThat(statusOfRun()).isEqualTo("awaiting_confirmation");
        assertThat(browser.driver.findElement(By.id("confirm-run")).getText()).isEqualTo("Confirm deletions");
        browser.screenshot("run-awaiting-confirmation-1280");
        browser.width(390);
        browser.screenshot("run-awaiting-confirmation-390");
        browser.width(1280);
        browser.driver.findElement(By.id("cancel-run")).click();
        browser.waitUpTo(WAIT).until(driver -> statusOfRun().equals("cancelled"));
        assertThat(browser.driver.findElements(By.id("confirm-run"))).isEmpty();
        assertThat(browser.driver.findElements(By.cssSelector("#deletion-guard.notice"))).isEmpty();
        assertThat(app.receivedRequests(r -> cancelled.equals(r.synchronizationId().orElse(null)))).isEmpty();

        String confirmed = heldRun(installation);
        browser.driver.get(syncline.apiUri() + "/#/runs/" + confirmed);
        browser.waitUpTo(WAIT).until(ExpectedConditions.elementToBeClickable(By.id("confirm-run"))).click();
        browser.waitUpTo(WAIT).until(driver -> statusOfRun().equals("finished"));
        assertThat(app.receivedRequests(r -> confirmed.equals(r.synchronizationId().orElse(null)) && r.event().equals("product_deleted")))
                .hasSize(47);
    }

    @Test
    void aPreview_showsWhatTheRunWouldSendWithReasons_andIsDiscardedOrRunFromItsPage() throws Exception {
        String installation = install(List.of("synchronization"));
        api.awaitRun(trigger(installation, "incremental", snapshot(installation)), WAIT);
        TestCatalog edited = TestCatalog.standard();
        edited.values("SKU-001").put("description", Map.of("en_GB", "Warmer shoe, new", "de_DE", "Wärmerer Schuh"));
        Path file = Files.createTempFile("catalog-", ".ndjson");
        Files.writeString(file, edited.ndjson());
        signIn();

        String discarded = previewFromFile(installation, file);
        assertThat(textOf(By.cssSelector("#preview-changes tr[data-event=product_updated]")))
                .contains("products").contains("SKU-001").contains("changed: values.description");
        assertThat(textOf(By.id("preview-estimate"))).contains("Estimated duration").contains("at the pace of the last 1 run");
        assertThat(textOf(By.id("confirm-run"))).isEqualTo("Run");
        assertThat(textOf(By.id("cancel-run"))).isEqualTo("Discard");
        browser.screenshot("run-preview-1280");
        browser.width(390);
        browser.screenshot("run-preview-390");
        browser.width(1280);
        clickThroughRedraws(By.id("cancel-run"));
        browser.waitUpTo(WAIT).until(driver -> statusOfRun().equals("cancelled"));
        assertThat(browser.driver.findElements(By.id("confirm-run"))).isEmpty();
        assertThat(app.receivedRequests(r -> discarded.equals(r.synchronizationId().orElse(null)))).as("a discarded preview sends nothing").isEmpty();

        String ran = previewFromFile(installation, file);
        assertThat(app.receivedRequests(r -> ran.equals(r.synchronizationId().orElse(null)))).as("a preview sends nothing").isEmpty();
        clickThroughRedraws(By.id("confirm-run"));
        browser.waitUpTo(WAIT).until(driver -> statusOfRun().equals("finished"));
        assertThat(app.receivedRequests(r -> ran.equals(r.synchronizationId().orElse(null)) && r.isConsume()
                        && !r.event().startsWith("synchronization_")))
                .extracting(r -> r.event() + " " + r.resourceId().orElse(""))
                .contains("product_updated SKU-001");
        assertThat(textOf(By.id("preview"))).contains("This run was previewed first");
    }

    // ---- helpers ------------------------------------------------------------------------------------

    // The run page redraws while it follows the run: an element found just before a redraw is gone by the next call.
    private String textOf(By locator) {
        return browser.waitUpTo(WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(driver -> driver.findElement(locator).getText());
    }

    private void clickThroughRedraws(By locator) {
        browser.waitUpTo(WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(driver -> {
            driver.findElement(locator).click();
            return true;
        });
    }

    /** Previews the catalog in {@code file} from the installation page's menu and waits on the run page for the preview. */
    private String previewFromFile(String installation, Path file) {
        browser.driver.get(syncline.apiUri() + "/#/installations/" + installation);
        browser.waitUpTo(WAIT).until(ExpectedConditions.elementToBeClickable(By.id("start-run-menu-button"))).click();
        browser.driver.findElement(By.cssSelector("#start-run-menu [data-preview=true][data-mode=incremental][data-source=upload]")).click();
        browser.driver.findElement(By.id("snapshot-file")).sendKeys(file.toAbsolutePath().toString());
        browser.waitUpTo(WAIT).until(ExpectedConditions.urlContains("#/runs/"));
        browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("preview-changes")));
        assertThat(statusOfRun()).isEqualTo("awaiting_confirmation");
        String url = browser.driver.getCurrentUrl();
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private static String errorAt(WebElement form, String path) {
        return form.findElement(By.cssSelector(".field-error[data-error-for='" + path + "']")).getText();
    }

    /** Triggers a run of a truncated catalog and waits until the deletion guard holds it. */
    private String heldRun(String installation) {
        ApiClient.Answer snapshot = api.postNdjson("/v1/installations/" + installation + "/snapshots", TestCatalog.truncatedNdjson());
        String runId = trigger(installation, "incremental", snapshot.json("snapshot_id").asText());
        browser.waitUpTo(WAIT).until(driver -> !api.get("/v1/synchronizations/" + runId).json("status").asText().equals("preparing"));
        assertThat(api.get("/v1/synchronizations/" + runId).json("status").asText()).isEqualTo("awaiting_confirmation");
        return runId;
    }

    @Test
    void operator_switchesBetweenTenants_whileATenantsKeySeesNoSwitcher() {
        assertThat(api.post("/v1/tenants", Map.of("id", "acme", "name", "Acme PIM")).status()).isEqualTo(201);
        assertThat(api.post("/v1/tenants", Map.of("id", "globex", "name", "Globex PIM")).status()).isEqualTo(201);
        ApiClient.Answer issued = api.post("/v1/tenants/acme/api-keys", Map.of("name", "dashboard"));
        assertThat(issued.status()).isEqualTo(201);
        String acmeKey = issued.body().path("key").asText();

        signIn();
        Select switcher = new Select(browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("tenant-filter"))));
        browser.waitUpTo(WAIT).until(driver -> switcher.getOptions().size() == 4);
        assertThat(switcher.getOptions()).extracting(WebElement::getText)
                .containsExactly("All tenants", "Acme PIM (acme)", "Default tenant (default)", "Globex PIM (globex)");
        assertThat(switcher.getFirstSelectedOption().getText()).isEqualTo("All tenants");
        switcher.selectByValue("acme");
        browser.waitUpTo(WAIT).until(ExpectedConditions.urlContains("tenant_id=acme"));
        browser.waitUpTo(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".page-head .lead"), "of the tenant acme"));
        Select switched = new Select(browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("tenant-filter"))));
        browser.waitUpTo(WAIT).until(driver -> switched.getFirstSelectedOption().getText().equals("Acme PIM (acme)"));
        browser.screenshot("installations-tenant-1280");

        browser.driver.findElement(By.id("sign-out")).click();
        signIn(acmeKey);
        browser.waitUpTo(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#tenant-switcher[data-checked]")));
        assertThat(browser.driver.findElement(By.id("tenant-switcher")).isDisplayed()).as("the switcher, for a tenant's key").isFalse();
        assertThat(browser.driver.findElement(By.id("installations")).isDisplayed()).isTrue();
    }

    @Test
    void twoTenantsKeys_eachSeeTheirOwnInstallationAndRunsOnly_andTheOperatorsSwitcherShowsEachTenantsOwn() {
        api.registerSampleApp(app.baseUri(), List.of("synchronization", "synchronization_full"), EVENTS);
        String acmeKey = tenantKey("acme", "Acme PIM");
        String globexKey = tenantKey("globex", "Globex PIM");
        ApiClient acme = new ApiClient(syncline.apiUri(), acmeKey);
        ApiClient globex = new ApiClient(syncline.apiUri(), globexKey);
        String acmes = tenantsInstallation(acme);
        String globexs = tenantsInstallation(globex);
        String acmesRun = tenantsRun(acme, acmes);
        String globexsRun = tenantsRun(globex, globexs);
        String defaults = install(List.of("synchronization"));

        signIn(acmeKey);
        assertListed(acmes);
        assertSeesInstallationAndRun(acmes, acmesRun);
        assertSeesNeither(globexs, globexsRun);
        browser.screenshot("installations-tenant-key-1280");

        browser.driver.findElement(By.id("sign-out")).click();
        signIn(globexKey);
        assertListed(globexs);
        assertSeesInstallationAndRun(globexs, globexsRun);
        assertSeesNeither(acmes, acmesRun);

        browser.driver.findElement(By.id("sign-out")).click();
        signIn();
        assertListed(defaults, globexs, acmes);
        for (String[] tenant : List.of(new String[] {"acme", acmes}, new String[] {"globex", globexs}, new String[] {"default", defaults})) {
            Select switcher = new Select(browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("tenant-filter"))));
            browser.waitUpTo(WAIT).until(driver -> switcher.getOptions().size() == 4);
            switcher.selectByValue(tenant[0]);
            browser.waitUpTo(WAIT).until(ExpectedConditions.urlContains("tenant_id=" + tenant[0]));
            assertListed(tenant[1]);
        }
        assertSeesInstallationAndRun(acmes, acmesRun);
    }

    private String tenantKey(String id, String name) {
        assertThat(api.post("/v1/tenants", Map.of("id", id, "name", name)).status()).isEqualTo(201);
        ApiClient.Answer issued = api.post("/v1/tenants/" + id + "/api-keys", Map.of("name", "dashboard"));
        assertThat(issued.status()).isEqualTo(201);
        return issued.body().path("key").asText();
    }

    private String tenantsInstallation(ApiClient tenant) {
        String id = tenant.installRegisteredSampleApp(2);
        tenant.configureSampleApp(id);
        return id;
    }

    private String tenantsRun(ApiClient tenant, String installation) {
        ApiClient.Answer snapshot = tenant.postNdjson("/v1/installations/" + installation + "/snapshots", TestCatalog.standard().ndjson());
        assertThat(snapshot.status()).isEqualTo(201);
        ApiClient.Answer triggered = tenant.post("/v1/installations/" + installation + "/synchronizations",
                Map.of("mode", "incremental", "snapshot_id", snapshot.json("snapshot_id").asText()));
        assertThat(triggered.status()).as(String.valueOf(triggered.body())).isEqualTo(202);
        String run = triggered.json("synchronization").path("id").asText();
        tenant.awaitRun(run, WAIT);
        return run;
    }

    /** Waits until the installations page lists exactly {@code installations}, in this order, each with its last run. */
    private void assertListed(String... installations) {
        browser.waitUpTo(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".table-status"), "shown"));
        By rows = By.cssSelector("#installations tbody tr");
        browser.waitUpTo(WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(driver ->
                driver.findElements(rows).stream().map(row -> row.getAttribute("data-installation")).toList().equals(List.of(installations)));
    }

    /** Opens the installation's page and its run's page, and waits for each to show what it names. */
    private void assertSeesInstallationAndRun(String installation, String run) {
        browser.driver.get(syncline.apiUri() + "/#/installations/" + installation);
        browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#runs tr[data-run='" + run + "']")));
        assertThat(browser.driver.findElements(By.cssSelector("#runs tbody tr"))).hasSize(1);
        browser.driver.get(syncline.apiUri() + "/#/runs/" + run);
        browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#run-status .badge")));
        assertThat(statusOfRun()).isEqualTo("finished");
        browser.driver.get(syncline.apiUri() + "/#/");
    }

    /** Opens another tenant's installation and run by their ids: each page says it could not be loaded, as for an unknown id. */
    private void assertSeesNeither(String installation, String run) {
        browser.driver.get(syncline.apiUri() + "/#/installations/" + installation);
        WebElement refused = browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("main .notice.error")));
        assertThat(refused.getText()).startsWith("The installation could not be loaded.").contains("no installation");
        browser.driver.get(syncline.apiUri() + "/#/runs/" + run);
        browser.waitUpTo(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("main .notice.error"), "The run could not be loaded."));
        browser.driver.get(syncline.apiUri() + "/#/");
    }

    private void signIn() {
        signIn(syncline.apiKey());
    }

    private void signIn(String apiKey) {
        browser.driver.get(syncline.apiUri() + "/");
        WebElement key = browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
        key.clear();
        key.sendKeys(apiKey);
        browser.driver.findElement(By.cssSelector("form.sign-in button[type=submit]")).click();
        browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-out")));
    }

    private String statusOfRun() {
        return browser.driver.findElement(By.cssSelector("#run-status .badge")).getAttribute("data-status");
    }

    private String install(List<String> features) {
        return api.installSampleApp(app.baseUri(), features, EVENTS, 2);
    }

    private String snapshot(String installation) {
        ApiClient.Answer snapshot = api.postNdjson("/v1/installations/" + installation + "/snapshots", TestCatalog.standard().ndjson());
        assertThat(snapshot.status()).isEqualTo(201);
        return snapshot.json("snapshot_id").asText();
    }

    private String trigger(String installation, String mode, String snapshotId) {
        ApiClient.Answer triggered = api.post("/v1/installations/" + installation + "/synchronizations", Map.of("mode", mode, "snapshot_id", snapshotId));
        assertThat(triggered.status()).as(String.valueOf(triggered.body())).isEqualTo(202);
        return triggered.json("synchronization").path("id").asText();
    }
}
