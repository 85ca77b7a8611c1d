package dev.syncline.core.delivery;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/** What one HTTP attempt of an entry came to. */
public sealed interface DeliveryAttempt {

    /**
     * The App answered.
     *
     * @param bodyExcerpt a bounded excerpt of the body, kept for failures
     * @param customs {@code resource_customs} from a 2xx JSON body, or null
     * @param retryAfter the App's {@code Retry-After}, or null
     */
    record Answered(int status, String bodyExcerpt, Map<String, Object> customs, Duration retryAfter) implements DeliveryAttempt {
    }

    /**
     * No (whole) answer: timeout, connection failure, an answer too long to read to its end, or a URL the
     * deployment refuses to call.
     */
    record Unreachable(Reason reason, String detail) implements DeliveryAttempt {

        public Unreachable {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }

        public enum Reason {
            TIMEOUT,
            CONNECTION_FAILED,
            ANSWER_TOO_LONG,
            URL_REFUSED
        }
    }
}
