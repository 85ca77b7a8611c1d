package dev.syncline.api;

import dev.syncline.core.installation.Installation;
import dev.syncline.core.installation.InstallationService;
import dev.syncline.core.sync.Run;
import dev.syncline.core.sync.RunNotFoundException;
import dev.syncline.core.sync.RunStore;
import dev.syncline.core.tenant.TenantId;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The installations and runs one request read, each read at most once: {@link TenantScope#admit} reads what the path
 * names to check whose it is, and the endpoint reads the same items through here instead of again. Both reads are
 * consistent, so an answer from here is what a read of its own would have answered at the start of the request.
 *
 * <p>One per request, never shared across requests or callers. An endpoint reads through here only <em>before</em> it
 * changes the item: after a write it uses what the write answered (a changed installation, a cancelled run), never a
 * read from here, which would be stale.
 */
final class RequestReads {

    private final InstallationService installations;
    private final RunStore runs;
    private final Map<UUID, Installation> installationsRead = new HashMap<>();
    private final Map<UUID, Run> runsRead = new HashMap<>();

    RequestReads(InstallationService installations, RunStore runs) {
        this.installations = installations;
        this.runs = runs;
    }

    /** Reads nothing: for a request not (yet) handled by the API, which has nothing to read with. */
    static RequestReads none() {
        return new RequestReads(null, null);
    }

    /**
     * The installation, whatever its status.
     *
     * @throws dev.syncline.core.SynclineException.NotFound when there is no such installation
     */
    Installation installation(UUID id) {
        Installation read = installationsRead.get(id);
        if (read == null) {
            read = store(installations, "installations").find(id);
            installationsRead.put(id, read);
        }
        return read;
    }

    /**
     * The run.
     *
     * @throws RunNotFoundException when there is no such run
     */
    Run run(UUID id) {
        Run read = runsRead.get(id);
        if (read == null) {
            read = store(runs, "runs").find(id).orElseThrow(() -> new RunNotFoundException(id));
            runsRead.put(id, read);
        }
        return read;
    }

    /**
     * The tenant of the installation this request read, if it read one (and only one tenant's): for the request's log
     * line. An id, never a secret.
     */
    Optional<TenantId> tenant() {
        List<TenantId> tenants = installationsRead.values().stream().map(Installation::tenantId).distinct().toList();
        return tenants.size() == 1 ? Optional.of(tenants.getFirst()) : Optional.empty();
    }

    /**
     * The installation this request read, or whose run it read, if only one: for the request's log line, where a run's
     * route names no installation.
     */
    Optional<UUID> installation() {
        Set<UUID> ids = new LinkedHashSet<>(installationsRead.keySet());
        runsRead.values().forEach(run -> ids.add(run.installationId()));
        return ids.size() == 1 ? Optional.of(ids.iterator().next()) : Optional.empty();
    }

    private static <T> T store(T store, String what) {
        if (store == null) {
            throw new IllegalStateException("this request reads no " + what + ": only the API's requests read through it");
        }
        return store;
    }
}
