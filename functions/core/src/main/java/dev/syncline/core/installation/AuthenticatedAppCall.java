package dev.syncline.core.installation;

import dev.syncline.core.app.Manifest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A call from an App to the PIM whose token verified: for which installation, which App (its latest manifest),
 * and every claim the App signed.
 */
public record AuthenticatedAppCall(Installation installation, Manifest app, Map<String, Object> claims) {

    public AuthenticatedAppCall {
        Objects.requireNonNull(installation, "installation");
        Objects.requireNonNull(app, "app");
        // Not Map.copyOf: a claim may be JSON null.
        claims = Collections.unmodifiableMap(new LinkedHashMap<>(claims));
    }
}
