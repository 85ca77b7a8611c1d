package dev.syncline.sampleapp;

import java.util.Optional;

/**
 * {@code GET /download-file}: the file the App generated for the run named by the token's
 * {@code synchronization_id}. The sample App renders its product feed from what it holds at that moment.
 */
final class DownloadFileEndpoint {

    static final String SYNCHRONIZATION_CLAIM = "synchronization_id";

    private final Installations installations;
    private final TokenVerifier tokens;
    private final FaultInjector faults;

    DownloadFileEndpoint(Installations installations, TokenVerifier tokens, FaultInjector faults) {
        this.installations = installations;
        this.tokens = tokens;
        this.faults = faults;
    }

    Answer handle(Call call) {
        Faults current = faults.current();
        FaultInjector.delay(current);

        var verification = tokens.verify(call.header(TokenVerifier.HEADER), current);
        if (verification instanceof TokenVerifier.Verification.Rejected rejected) {
            return Answer.rejected(rejected.reason());
        }
        var verified = (TokenVerifier.Verification.Verified) verification;
        call.claims(verified.claims());
        if (!(verified.claims().get(SYNCHRONIZATION_CLAIM) instanceof String synchronizationId)
                || synchronizationId.isBlank()) {
            return Answer.invalid(400, "missing_synchronization",
                    "the token must carry the run's " + SYNCHRONIZATION_CLAIM + " claim");
        }
        Optional<Answer> failure = faults.failure(call, current);
        if (failure.isPresent()) {
            return failure.get();
        }
        if (current.has(Faults.Defect.FAIL_DOWNLOAD_FILE)) {
            return Answer.faulted(HttpReply.error(500, "internal_error", "injected fault: the file cannot be made"),
                    "injected 500 for /download-file");
        }
        String feed = installations.find(verified.installationId()).orElseThrow()
                .read(catalog -> ProductFeed.render(catalog.products()));
        return Answer.accepted(HttpReply.csv(feed)
                .withHeader("Content-Disposition", "attachment; filename=\"products.csv\""));
    }
}
