package dev.syncline.sampleapp;

import java.util.List;

/**
 * Writes CSV as RFC 4180 describes it (https://www.rfc-editor.org/rfc/rfc4180): comma-separated fields, CRLF
 * line ends, and a field quoted with doubled inner quotes whenever it holds a comma, quote, CR or LF.
 */
final class CsvWriter {

    private final StringBuilder out = new StringBuilder();

    CsvWriter row(List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            appendField(fields.get(i));
        }
        out.append("\r\n");
        return this;
    }

    private void appendField(String field) {
        if (field == null || field.isEmpty()) {
            return;
        }
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\r') < 0 && field.indexOf('\n') < 0) {
            out.append(field);
            return;
        }
        out.append('"').append(field.replace("\"", "\"\"")).append('"');
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
