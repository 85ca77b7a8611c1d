package dev.syncline.core.snapshot;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Text by language code, sorted so that equal translations compare equal whatever their input order. */
final class Translations {

    private Translations() {
    }

    static SortedMap<String, String> copyOf(Map<String, String> translations) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(translations == null ? Map.of() : translations));
    }
}
