package dev.syncline.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.syncline.core.SynclineException;
import dev.syncline.core.app.AppCallFailedException;
import dev.syncline.core.app.AppCallOutcome;
import dev.syncline.core.app.AppResponse;
import dev.syncline.core.app.AppUnreachable;
import dev.syncline.core.configuration.ConfigurationRejectedException;
import dev.syncline.core.installation.AppTokenRefusedException;
import dev.syncline.core.sync.ActiveRunConflictException;
import dev.syncline.core.sync.TenantRunLimitException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An error answer, as RFC 9457 {@code application/problem+json}: {@code type}, {@code title}, {@code status},
 * {@code detail} (what to fix), {@code instance} (the request's path), plus {@code request_id} for support,
 * {@code violations} for a 422 ({@code propertyPath}, {@code title}, {@code template}, {@code parameters} for a
 * refused configuration step, with {@code refused_by}: {@code schema} or {@code app}), {@code app_answer} for
 * a 502, {@code reason} for a refused App token and {@code active_synchronization_id} for a 409 refused because
 * the installation already has an active run.
 */
record Problem(
        String type,
        String title,
        int status,
        String detail,
        String instance,
        String requestId,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<?> violations,
        @JsonInclude(JsonInclude.Include.NON_NULL) AppAnswer appAnswer,
        @JsonInclude(JsonInclude.Include.NON_NULL) String refusedBy,
        @JsonInclude(JsonInclude.Include.NON_NULL) String reason,
        @JsonInclude(JsonInclude.Include.NON_NULL) String activeSynchronizationId) {

    /** One broken rule of a 422. */
    record Violation(String field, String message) {
    }

    /**
     * One refused field of a configuration step, in the Apps protocol's shape (camelCase, as Apps write it), so
     * that a schema violation and an App's violation read the same; {@code parameters} is relayed unchanged.
     */
    record ConfigurationViolation(
            @JsonProperty("propertyPath") String propertyPath,
            @JsonProperty("title") String title,
            @JsonProperty("template") String template,
            @JsonProperty("parameters") @JsonRawValue String parameters) {

        static ConfigurationViolation of(dev.syncline.core.configuration.ConfigurationViolation violation) {
            return new ConfigurationViolation(violation.propertyPath(), violation.title(), violation.template(),
                    violation.parameters());
        }
    }

    /**
     * What the App answered to the call that failed: its status and the start of its body, or why no answer
     * came.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AppAnswer(String kind, Integer status, String bodyExcerpt, String reason, String detail) {

        static AppAnswer of(AppCallOutcome outcome) {
            return switch (outcome) {
                case AppResponse response -> new AppAnswer("response", response.status(), response.bodyExcerpt(),
                        null, null);
                case AppUnreachable unreachable -> new AppAnswer("unreachable", null, null,
                        unreachable.reason().name().toLowerCase(Locale.ROOT), unreachable.detail());
            };
        }
    }

    Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(detail, "detail");
        violations = violations == null ? null : List.copyOf(violations);
    }

    static Problem of(ProblemType type, String detail, ApiRequest request) {
        return new Problem(type.uri(), type.title(), type.status(), detail, request.path(), request.requestId(), null,
                null, null, null, null);
    }

    /**
     * The answer to a domain refusal: the one place where the domain's kinds of error become statuses.
     */
    static Problem of(SynclineException error, ApiRequest request) {
        return switch (error) {
            case ConfigurationRejectedException rejected -> new Problem(ProblemType.CONFIGURATION_REJECTED.uri(),
                    ProblemType.CONFIGURATION_REJECTED.title(), ProblemType.CONFIGURATION_REJECTED.status(),
                    rejected.getMessage(), request.path(), request.requestId(),
                    rejected.configurationViolations().stream().map(ConfigurationViolation::of).toList(), null,
                    rejected.refusedBy().name().toLowerCase(Locale.ROOT), null, null);
            case SynclineException.Invalid invalid -> new Problem(ProblemType.VALIDATION_FAILED.uri(),
                    ProblemType.VALIDATION_FAILED.title(), ProblemType.VALIDATION_FAILED.status(), invalid.getMessage(),
                    request.path(), request.requestId(),
                    invalid.violations().stream().map(v -> new Violation(v.field(), v.message())).toList(), null, null, null, null);
            case SynclineException.NotFound notFound -> of(ProblemType.NOT_FOUND, notFound.getMessage(), request);
            case ActiveRunConflictException active -> new Problem(ProblemType.CONFLICT.uri(), ProblemType.CONFLICT.title(),
                    ProblemType.CONFLICT.status(), active.getMessage(), request.path(), request.requestId(), null, null,
                    null, null, active.activeRunId().toString());
            case TenantRunLimitException limit -> of(ProblemType.TENANT_RUN_LIMIT, limit.getMessage(), request);
            case SynclineException.Conflict conflict -> of(ProblemType.CONFLICT, conflict.getMessage(), request);
            case SynclineException.UpstreamFailure failure -> new Problem(ProblemType.APP_CALL_FAILED.uri(),
                    ProblemType.APP_CALL_FAILED.title(), ProblemType.APP_CALL_FAILED.status(), failure.getMessage(),
                    request.path(), request.requestId(), null,
                    failure instanceof AppCallFailedException call ? AppAnswer.of(call.outcome()) : null, null, null, null);
        };
    }

    /**
     * The answer to an App token the PIM asked about and Syncline refuses: 401, with the reason as a word to branch
     * on ({@code expired}, {@code bad_signature}, ...).
     */
    static Problem of(AppTokenRefusedException refused, ApiRequest request) {
        ProblemType type = ProblemType.APP_TOKEN_REFUSED;
        return new Problem(type.uri(), type.title(), type.status(), "The App's token is refused: "
                + refused.getMessage() + ". Answer the App's call with 401.", request.path(), request.requestId(), null,
                null, null, refused.reason().name().toLowerCase(Locale.ROOT), null);
    }

    /** The answer to a bug: the request id to quote, nothing of what went wrong inside. */
    static Problem internalError(ApiRequest request) {
        return of(ProblemType.INTERNAL_ERROR, "The request failed because of an error in Syncline, not in the"
                + " request. Retrying may help; if it does not, report request id " + request.requestId() + ".",
                request);
    }
}
