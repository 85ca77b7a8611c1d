package dev.syncline.core.installation;

import dev.syncline.core.app.AppId;
import dev.syncline.core.tenant.TenantId;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Where installations live. Installations are never deleted: an uninstalled one keeps its history.
 * Status changes are conditional on the current status, so that concurrent changes (an uninstall
 * racing an App update) cannot overwrite each other.
 */
public interface InstallationStore {

    /**
     * Stores a new installation.
     *
     * @throws IllegalStateException when an installation with that id exists (ids are random UUIDs,
     *     so this is a bug)
     */
    void create(Installation installation);

    /** The installation, or empty when there is none with that id. */
    Optional<Installation> find(UUID id);

    /** Every installation of the App, whatever its status, oldest first. */
    List<Installation> listByApp(AppId appId);

    /**
     * One page of every installation, whatever its App or status, newest first.
     *
     * @param limit at most this many installations
     * @param cursor {@code null} for the first page, else a previous page's {@link Page#nextCursor()}
     */
    Page list(int limit, String cursor);

    /**
     * One page of the tenant's installations, whatever their App or status, newest first.
     *
     * @param limit at most this many installations
     * @param cursor {@code null} for the first page, else a previous page's {@link Page#nextCursor()} of this tenant
     */
    Page list(TenantId tenant, int limit, String cursor);

    /** A page of installations; {@code nextCursor} is null on the last page. */
    record Page(List<Installation> installations, String nextCursor) {

        public Page {
            installations = List.copyOf(installations);
        }
    }

    /**
     * Writes {@code changed}'s status, {@code updatedAt} and {@code uninstalledAt} (nothing else)
     * provided the stored installation's status is still {@code expectedCurrent}.
     *
     * @return {@code false}, writing nothing, when the installation does not exist or its status is
     *     no longer {@code expectedCurrent}
     */
    boolean updateStatus(Installation changed, InstallationStatus expectedCurrent);

    /**
     * Writes {@code changed}'s status, {@code appVersion} and {@code updatedAt} (nothing else) provided the
     * stored installation's status is still {@code expectedCurrent}: its configuration was completed.
     *
     * @return {@code false}, writing nothing, when the installation does not exist or its status is no longer
     *     {@code expectedCurrent}
     */
    boolean markConfigured(Installation changed, InstallationStatus expectedCurrent);

    /**
     * Writes {@code changed}'s name, dispatch settings and {@code updatedAt} (nothing else) provided the stored
     * installation's status is still {@code expectedCurrent}.
     *
     * @return {@code false}, writing nothing, when the installation does not exist or its status is no longer
     *     {@code expectedCurrent}
     */
    boolean updateSettings(Installation changed, InstallationStatus expectedCurrent);
}
