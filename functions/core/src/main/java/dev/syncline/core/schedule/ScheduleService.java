package dev.syncline.core.schedule;

import dev.syncline.core.SynclineException;
import dev.syncline.core.app.AppFeature;
import dev.syncline.core.app.AppRegistry;
import dev.syncline.core.app.AppUrlPolicy;
import dev.syncline.core.app.HttpUrl;
import dev.syncline.core.app.Manifest;
import dev.syncline.core.installation.Installation;
import dev.syncline.core.installation.InstallationService;
import dev.syncline.core.installation.InstallationStatus;
import dev.syncline.core.installation.SecretVault;
import dev.syncline.core.sync.ActiveRuns;
import dev.syncline.core.sync.Run;
import dev.syncline.core.sync.RunControl;
import dev.syncline.core.sync.SyncMode;
import dev.syncline.core.sync.TriggerRequest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Sets, reads and removes installations' schedules (api), and starts the run a firing asks for (the scheduled-run
 * event on AWS, the local stack's scheduler): with the installation's latest upload or a snapshot pulled from its
 * source. A firing that finds another run active is skipped; every firing's outcome is recorded on the schedule.
 */
public final class ScheduleService {

    static final int MAX_HEADER_VALUE = 4096;
    /** The default time zone, by its IANA name: EventBridge Scheduler refuses ZoneOffset.UTC's "Z". */
    static final ZoneId UTC = ZoneId.of("UTC");
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,63}");
    /** Headers the HTTP client sets itself, or that would change what the request means. */
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "transfer-encoding", "te", "accept-encoding", "keep-alive", "proxy-authorization", "trailer");
    private static final DateTimeFormatter SNAPSHOT_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** Everything a schedule talks to. */
    public record Ports(
            ScheduleStore store,
            ScheduleTriggers triggers,
            ScheduleCalendar calendar,
            SnapshotFetcher fetcher,
            LatestSnapshot latest,
            ActiveRuns active,
            RunControl control,
            InstallationService installations,
            AppRegistry apps,
            SecretVault vault,
            AppUrlPolicy urlPolicy) {
    }

    /** The id of an installation's most recently uploaded snapshot. */
    @FunctionalInterface
    public interface LatestSnapshot {
        Optional<String> find(UUID installationId);
    }

    private final Ports ports;
    private final Clock clock;
    private final boolean httpsOnly;
    private final SecureRandom random = new SecureRandom();

    /** @param httpsOnly whether a snapshot source must use https: false only where Apps may be local (tests, local stack) */
    public ScheduleService(Ports ports, Clock clock, boolean httpsOnly) {
        this.ports = ports;
        this.clock = clock;
        this.httpsOnly = httpsOnly;
    }

    // ---- api --------------------------------------------------------------------------------------

    /**
     * Creates or replaces the installation's schedule and its trigger.
     *
     * @throws SynclineException.Invalid listing every field to fix
     * @throws SynclineException.Conflict when the installation is uninstalled or its App does not enable schedules
     */
    public Schedule put(UUID installationId, ScheduleRequest request) {
        Installation installation = ports.installations().find(installationId);
        if (installation.status() == InstallationStatus.UNINSTALLED) {
            throw new SynclineException.Conflict("installation " + installationId + " was uninstalled at " + installation.uninstalledAt()
                    + " and can no longer be scheduled");
        }
        Manifest manifest = ports.apps().latest(installation.appId());
        if (!manifest.enables(AppFeature.SYNCHRONIZATION_SCHEDULER)) {
            throw new SynclineException.Conflict("app '" + installation.appId().value() + "' does not enable "
                    + AppFeature.SYNCHRONIZATION_SCHEDULER.wireName() + " in its manifest's features, so its installations cannot be scheduled");
        }
        List<SynclineException.Violation> violations = new ArrayList<>();
        ScheduleExpression expression = null;
        try {
            expression = ScheduleExpression.parse(request.expression());
            if (expression instanceof ScheduleExpression.Cron cron) {
                Optional<String> refusal = ports.calendar().refusal(cron.fields());
                if (refusal.isPresent()) {
                    violations.add(new SynclineException.Violation("expression", "expression " + SynclineException.quote(cron.text()) + " "
                            + refusal.get()));
                    expression = null;
                }
            }
        } catch (SynclineException.Invalid e) {
            violations.addAll(e.violations());
        }
        ZoneId zone = timeZone(request.timeZone(), violations);
        SyncMode mode = mode(request.mode(), manifest, violations);
        HttpUrl url = sourceUrl(request.sourceUrl(), violations);
        header(request, violations);
        if (expression instanceof ScheduleExpression.Cron cron && zone != null
                && ports.calendar().next(cron.fields(), zone, clock.instant()).isEmpty()) {
            violations.add(new SynclineException.Violation("expression", "expression " + SynclineException.quote(cron.text())
                    + " never fires again (its years are past)"));
        }
        if (!violations.isEmpty()) {
            throw new SynclineException.Invalid("schedule", violations);
        }
        SnapshotSource source = url == null ? null : new SnapshotSource(url,
                request.headerName(), request.headerName() == null ? null : ports.vault().encryptText(request.headerValue(), installationId));
        Instant now = clock.instant();
        Optional<Schedule> existing = ports.store().find(installationId);
        Schedule schedule = new Schedule(installationId, expression, zone, mode, source,
                existing.map(Schedule::createdAt).orElse(now), now, existing.map(Schedule::lastOutcome).orElse(null));
        // The trigger first: a schedule stored but not triggered would show a next fire time that never comes.
        ports.triggers().put(schedule);
        ports.store().put(schedule);
        return schedule;
    }

    /** @throws SynclineException.NotFound when the installation has no schedule */
    public Schedule get(UUID installationId) {
        ports.installations().find(installationId);
        return ports.store().find(installationId).orElseThrow(() -> new SynclineException.NotFound("installation " + installationId
                + " has no schedule; set one with PUT /v1/installations/" + installationId + "/schedule"));
    }

    /** When the schedule fires next, or empty when it never will. */
    public Optional<Instant> nextFire(Schedule schedule) {
        return schedule.nextFire(ports.calendar(), clock.instant());
    }

    /** Every schedule: the local stack's scheduler evaluates them (on AWS, EventBridge Scheduler does). */
    public List<Schedule> list() {
        return ports.store().list();
    }

    /** When the schedule fires next after {@code after}, by any clock (the local scheduler's), or empty when never. */
    public Optional<Instant> nextFire(Schedule schedule, Instant after) {
        return schedule.nextFire(ports.calendar(), after);
    }

    /** @throws SynclineException.NotFound when the installation has no schedule */
    public void delete(UUID installationId) {
        get(installationId);
        remove(installationId);
    }

    /** Removes the installation's schedule and trigger, if it has one: on uninstall. */
    public void remove(UUID installationId) {
        ports.triggers().delete(installationId);
        ports.store().delete(installationId);
    }

    // ---- firing -----------------------------------------------------------------------------------

    /**
     * Starts the run the schedule asks for at {@code scheduledAt}, or records why it did not. A repeated firing for
     * the same time (a retried invocation) returns the run the first one started.
     *
     * @return what happened, or empty when the installation has no schedule any more
     */
    public Optional<ScheduleOutcome> fire(UUID installationId, Instant scheduledAt) {
        Optional<Schedule> found = ports.store().find(installationId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ScheduleOutcome outcome = outcome(found.get(), scheduledAt);
        ports.store().recordOutcome(installationId, outcome);
        return Optional.of(outcome);
    }

    private ScheduleOutcome outcome(Schedule schedule, Instant scheduledAt) {
        Instant now = clock.instant();
        UUID installationId = schedule.installationId();
        Installation installation = ports.installations().find(installationId);
        if (installation.status() == InstallationStatus.UNINSTALLED) {
            // An uninstall that stopped before deleting the schedule: DELETE it.
            return new ScheduleOutcome.Failed(now, "installation " + installationId + " was uninstalled; delete its schedule");
        }
        try {
            // Before fetching anything: a disabled tenant's schedules start nothing, and say so at every firing.
            ports.installations().requireTenantActive(installation);
        } catch (SynclineException.Conflict e) {
            return new ScheduleOutcome.Failed(now, e.getMessage());
        }
        Optional<UUID> active = activeRun(installationId);
        if (active.isPresent()) {
            return new ScheduleOutcome.Skipped(now, "synchronization " + active.get() + " was still active");
        }
        String snapshotId;
        if (schedule.source() == null) {
            Optional<String> latest = ports.latest().find(installationId);
            if (latest.isEmpty()) {
                return new ScheduleOutcome.Failed(now, "no snapshot of this installation is stored (snapshots expire after 7 days):"
                        + " upload one with POST /v1/installations/" + installationId + "/snapshots, or give the schedule a snapshot_source");
            }
            snapshotId = latest.get();
        } else {
            snapshotId = "scheduled-" + SNAPSHOT_TIME.format(scheduledAt) + "-" + HexFormat.of().toHexDigits(random.nextInt());
            String secret = schedule.source().headerValue() == null ? null
                    : ports.vault().decryptText(schedule.source().headerValue(), installationId);
            try {
                ports.fetcher().fetch(installationId, schedule.source(), secret, snapshotId);
            } catch (SnapshotFetcher.SnapshotSourceException e) {
                return new ScheduleOutcome.Failed(clock.instant(), "the snapshot source failed: " + e.getMessage());
            }
        }
        try {
            Run run = ports.control().trigger(new TriggerRequest(installationId, schedule.mode(), snapshotId,
                    "schedule-" + scheduledAt.toEpochMilli()));
            return new ScheduleOutcome.Started(clock.instant(), run.id());
        } catch (SynclineException.Conflict e) {
            // Another run may have started while the snapshot was fetched.
            Optional<UUID> nowActive = activeRun(installationId);
            if (nowActive.isPresent()) {
                return new ScheduleOutcome.Skipped(clock.instant(), "synchronization " + nowActive.get() + " was still active");
            }
            return new ScheduleOutcome.Failed(clock.instant(), e.getMessage());
        } catch (SynclineException e) {
            return new ScheduleOutcome.Failed(clock.instant(), e.getMessage());
        }
    }

    private Optional<UUID> activeRun(UUID installationId) {
        return ports.active().list().stream()
                .filter(run -> run.installationId().equals(installationId))
                .map(ActiveRuns.ActiveRun::runId)
                .findFirst();
    }

    // ---- validation -------------------------------------------------------------------------------

    private static ZoneId timeZone(String text, List<SynclineException.Violation> violations) {
        if (text == null) {
            return UTC;
        }
        // IANA names only: EventBridge Scheduler refuses offsets such as "+02:00".
        if (ZoneId.getAvailableZoneIds().contains(text)) {
            return ZoneId.of(text);
        }
        violations.add(new SynclineException.Violation("time_zone", "time_zone " + SynclineException.quote(text)
                + " is not an IANA time zone name: e.g. Europe/Warsaw, America/New_York or UTC"));
        return null;
    }

    private static SyncMode mode(String text, Manifest manifest, List<SynclineException.Violation> violations) {
        SyncMode mode;
        if (text == null || text.equals("incremental")) {
            mode = SyncMode.INCREMENTAL;
        } else if (text.equals("full")) {
            mode = SyncMode.FULL;
        } else {
            violations.add(new SynclineException.Violation("mode", "mode must be incremental or full; got " + SynclineException.quote(text)));
            return null;
        }
        AppFeature feature = mode == SyncMode.FULL ? AppFeature.SYNCHRONIZATION_FULL : AppFeature.SYNCHRONIZATION;
        if (!manifest.enables(feature)) {
            violations.add(new SynclineException.Violation("mode", "mode " + mode.wireName() + " is not enabled by the App's manifest (it"
                    + " lacks the feature " + feature.wireName() + ")"));
            return null;
        }
        return mode;
    }

    private HttpUrl sourceUrl(String text, List<SynclineException.Violation> violations) {
        if (text == null) {
            return null;
        }
        return ports.urlPolicy().check("snapshot_source.url", text, httpsOnly, violations);
    }

    private static void header(ScheduleRequest request, List<SynclineException.Violation> violations) {
        String name = request.headerName();
        String value = request.headerValue();
        if (name == null && value == null) {
            return;
        }
        if (request.sourceUrl() == null) {
            violations.add(new SynclineException.Violation("snapshot_source", "snapshot_source.header_name and header_value need"
                    + " snapshot_source.url"));
            return;
        }
        if (name == null || value == null) {
            violations.add(new SynclineException.Violation(name == null ? "snapshot_source.header_name" : "snapshot_source.header_value",
                    "snapshot_source.header_name and snapshot_source.header_value come together: give both or neither"));
            return;
        }
        if (!HEADER_NAME.matcher(name).matches() || RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            violations.add(new SynclineException.Violation("snapshot_source.header_name", "snapshot_source.header_name "
                    + SynclineException.quote(name) + " must be a header name of letters, digits and '-' (at most 64), such as"
                    + " Authorization or X-Api-Key, and not one the client sets itself (Host, Content-Length, ...)"));
        }
        if (value.isEmpty() || value.length() > MAX_HEADER_VALUE || value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
            // The value is a secret: the message never quotes it.
            violations.add(new SynclineException.Violation("snapshot_source.header_value", "snapshot_source.header_value must be 1 to "
                    + MAX_HEADER_VALUE + " characters without line breaks or control characters"));
        }
    }
}
