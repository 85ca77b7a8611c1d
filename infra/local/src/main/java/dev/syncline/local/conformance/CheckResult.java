package dev.syncline.local.conformance;

import java.util.Objects;

/**
 * One line of the conformance report.
 *
 * @param check what was checked, stable across runs ({@code event product_created}, {@code tokens: expired})
 * @param verdict how the App did
 * @param detail for a pass what was seen, for a failure what was sent and answered, for N/A why not checked
 */
record CheckResult(String check, Verdict verdict, String detail) {

    /** How long a quoted request or answer may be in a report line. */
    static final int EXCERPT_CHARS = 300;

    enum Verdict { PASS, FAIL, NA }

    CheckResult {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(detail, "detail");
    }

    static CheckResult pass(String check, String detail) {
        return new CheckResult(check, Verdict.PASS, detail);
    }

    static CheckResult fail(String check, String detail) {
        return new CheckResult(check, Verdict.FAIL, detail);
    }

    static CheckResult notApplicable(String check, String why) {
        return new CheckResult(check, Verdict.NA, why);
    }

    /** The line as printed: {@code PASS  check  detail}. */
    String line() {
        return "%-4s  %-40s %s".formatted(verdict == Verdict.NA ? "N/A" : verdict.name(), check, detail);
    }

    /** {@code text} cut to {@link #EXCERPT_CHARS} with its line breaks shown, quoted. */
    static String excerpt(String text) {
        if (text == null || text.isEmpty()) {
            return "(empty body)";
        }
        String flat = text.replace("\r", "\\r").replace("\n", "\\n");
        return "'" + (flat.length() <= EXCERPT_CHARS ? flat : flat.substring(0, EXCERPT_CHARS) + "…") + "'";
    }
}
