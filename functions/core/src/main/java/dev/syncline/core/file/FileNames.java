package dev.syncline.core.file;

import java.util.Locale;
import java.util.Map;

/** File names and extensions: what the App suggests, made safe for an S3 key and a header. */
public final class FileNames {

    private static final Map<String, String> EXTENSIONS = Map.ofEntries(
            Map.entry("text/csv", "csv"),
            Map.entry("text/tab-separated-values", "tsv"),
            Map.entry("text/plain", "txt"),
            Map.entry("application/json", "json"),
            Map.entry("application/x-ndjson", "ndjson"),
            Map.entry("application/xml", "xml"),
            Map.entry("text/xml", "xml"),
            Map.entry("application/zip", "zip"),
            Map.entry("application/gzip", "gz"),
            Map.entry("application/pdf", "pdf"),
            Map.entry("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
            Map.entry("application/vnd.ms-excel", "xls"));

    private FileNames() {
    }

    /** The extension for a content type ({@code text/csv; charset=utf-8} → {@code csv}); {@code bin} when unknown. */
    public static String extension(String contentType) {
        String bare = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return EXTENSIONS.getOrDefault(bare, "bin");
    }

    /**
     * A safe file name: the App's suggestion with anything but letters, digits, dot, dash and underscore replaced,
     * or {@code file.<extension>} when it suggested none.
     */
    public static String safe(String suggested, String contentType) {
        if (suggested != null) {
            String cleaned = suggested.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^[.]+", "");
            if (!cleaned.isEmpty() && cleaned.length() <= 200) {
                return cleaned;
            }
        }
        return "file." + extension(contentType);
    }

    /** {@code attachment; filename="<name>"} for a name made by {@link #safe}. */
    public static String attachment(String name) {
        return "attachment; filename=\"" + name + "\"";
    }
}
