package dev.syncline.core.configuration;

import java.util.Objects;

/**
 * One entry of a PIM-provided dictionary, as the protocol shapes it.
 *
 * @param id what a configuration stores (an attribute or category code, a language code)
 * @param label what a person picks from; the code when the PIM gave no name
 * @param type the attribute type, for {@code ergonode:attributes}; {@code null} otherwise
 */
public record DictionaryEntry(String id, String label, String type) {

    public DictionaryEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(label, "label");
    }
}
