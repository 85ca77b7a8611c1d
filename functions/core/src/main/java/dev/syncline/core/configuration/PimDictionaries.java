package dev.syncline.core.configuration;

import dev.syncline.core.SynclineException;
import dev.syncline.core.plan.SnapshotStore;
import dev.syncline.core.snapshot.Attribute;
import dev.syncline.core.snapshot.Category;
import dev.syncline.core.snapshot.SnapshotLine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The PIM's own dictionaries ({@code ergonode:attributes}, {@code ergonode:categories}, {@code ergonode:languages}),
 * answered from the installation's latest snapshot. The snapshot is streamed, never held: reading stops at
 * {@link #MAX_ENTRIES} entries or after {@link #READ_BUDGET}, and the answer then says it is incomplete.
 */
public final class PimDictionaries {

    /** The most entries one dictionary answers: far more than a form's select can show. */
    public static final int MAX_ENTRIES = 5_000;
    /** How long reading may take: an API request must answer well within its gateway's timeout. */
    public static final Duration READ_BUDGET = Duration.ofSeconds(10);

    static final String ATTRIBUTES = "ergonode:attributes";
    static final String CATEGORIES = "ergonode:categories";
    static final String LANGUAGES = "ergonode:languages";

    /** A dictionary's entries, and whether the whole snapshot was read for it. */
    public record Entries(List<DictionaryEntry> entries, boolean complete) {
        public Entries {
            entries = List.copyOf(entries);
        }
    }

    private final LatestSnapshot latest;
    private final SnapshotStore snapshots;
    private final Clock clock;

    public PimDictionaries(LatestSnapshot latest, SnapshotStore snapshots, Clock clock) {
        this.latest = Objects.requireNonNull(latest, "latest");
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Whether {@code name} (without its query) is one of the PIM's dictionaries. */
    static boolean names(String name) {
        return name.equals(ATTRIBUTES) || name.equals(CATEGORIES) || name.equals(LANGUAGES);
    }

    /**
     * @param name {@code ergonode:attributes}, {@code ergonode:categories} or {@code ergonode:languages}
     * @param types for attributes: the attribute types to keep (upper case), empty for all
     * @throws SynclineException.NotFound when the installation uploaded no snapshot yet
     */
    Entries read(UUID installationId, String name, Set<String> types) {
        String snapshotId = latest.of(installationId).orElseThrow(() -> new SynclineException.NotFound(
                "dictionary '" + name + "' comes from the catalog, and installation " + installationId
                        + " has uploaded no snapshot yet; upload one with POST /v1/installations/" + installationId
                        + "/snapshots"));
        Instant deadline = clock.instant().plus(READ_BUDGET);
        Map<String, DictionaryEntry> found = new java.util.TreeMap<>();
        Set<String> languages = new TreeSet<>();
        boolean complete = true;
        try (SnapshotStore.Lines lines = snapshots.open(installationId, snapshotId)) {
            while (lines.hasNext()) {
                if (found.size() >= MAX_ENTRIES || languages.size() >= MAX_ENTRIES || clock.instant().isAfter(deadline)) {
                    complete = false;
                    break;
                }
                if (!(lines.next() instanceof SnapshotLine.Accepted accepted)) {
                    continue;
                }
                switch (accepted.resource()) {
                    case Attribute attribute -> {
                        languages.addAll(attribute.name().keySet());
                        if (name.equals(ATTRIBUTES) && (types.isEmpty()
                                || types.contains(attribute.attributeType().toUpperCase(Locale.ROOT)))) {
                            found.putIfAbsent(attribute.code(), new DictionaryEntry(attribute.code(),
                                    label(attribute.name(), attribute.code()), attribute.attributeType()));
                        }
                    }
                    case Category category -> {
                        languages.addAll(category.name().keySet());
                        if (name.equals(CATEGORIES)) {
                            found.putIfAbsent(category.code(), new DictionaryEntry(category.code(),
                                    label(category.name(), category.code()), null));
                        }
                    }
                    default -> {
                        // Products add nothing to these dictionaries.
                    }
                }
            }
        }
        List<DictionaryEntry> entries = new ArrayList<>(found.values());
        if (name.equals(LANGUAGES)) {
            languages.forEach(language -> entries.add(new DictionaryEntry(language, language, null)));
        }
        return new Entries(entries, complete);
    }

    /** {@code TEXT,TEXT_AREA} from {@code type=TEXT,TEXT_AREA}; empty for no filter. */
    static Set<String> types(String query) {
        Set<String> types = new LinkedHashSet<>();
        if (query == null || query.isBlank()) {
            return types;
        }
        for (String parameter : query.split("&")) {
            if (parameter.startsWith("type=")) {
                Arrays.stream(parameter.substring("type=".length()).split(","))
                        .map(String::strip)
                        .filter(type -> !type.isEmpty())
                        .forEach(type -> types.add(type.toUpperCase(Locale.ROOT)));
            }
        }
        return types;
    }

    // English first, as Ergonode shows it when no language is chosen, else the first translation, else the code.
    private static String label(SortedMap<String, String> translations, String code) {
        for (Map.Entry<String, String> translation : translations.entrySet()) {
            if (translation.getKey().toLowerCase(Locale.ROOT).startsWith("en") && !translation.getValue().isBlank()) {
                return translation.getValue();
            }
        }
        return translations.values().stream().filter(value -> !value.isBlank()).findFirst().orElse(code);
    }
}
