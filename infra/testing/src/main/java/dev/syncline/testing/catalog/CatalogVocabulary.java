package dev.syncline.testing.catalog;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The fixed part of a generated catalog: its attributes, options, categories and the words product names are
 * made of, in the four languages the catalog is translated into. Accented letters on purpose: a snapshot is
 * UTF-8 and the engine must keep it so.
 */
final class CatalogVocabulary {

    static final List<String> LANGUAGES = List.of("de_DE", "en_GB", "fr_FR", "pl_PL");

    record Option(String code, SortedMap<String, String> name) {
    }

    record AttributeSpec(String code, String type, String scope, SortedMap<String, String> name, List<Option> options) {
    }

    record CategorySpec(String code, SortedMap<String, String> name) {
    }

    static final List<Option> COLORS = List.of(
            option("black", "Schwarz", "Black", "Noir", "Czarny"),
            option("white", "Weiß", "White", "Blanc", "Biały"),
            option("red", "Rot", "Red", "Rouge", "Czerwony"),
            option("blue", "Blau", "Blue", "Bleu", "Niebieski"),
            option("green", "Grün", "Green", "Vert", "Zielony"),
            option("yellow", "Gelb", "Yellow", "Jaune", "Żółty"),
            option("brown", "Braun", "Brown", "Marron", "Brązowy"),
            option("grey", "Grau", "Grey", "Gris", "Szary"),
            option("navy", "Marineblau", "Navy", "Bleu marine", "Granatowy"),
            option("beige", "Beige", "Beige", "Beige", "Beżowy"),
            option("pink", "Rosa", "Pink", "Rose", "Różowy"),
            option("orange", "Orange", "Orange", "Orange", "Pomarańczowy"));

    static final List<Option> SIZES = List.of(
            option("xs", "XS", "XS", "XS", "XS"),
            option("s", "S", "S", "S", "S"),
            option("m", "M", "M", "M", "M"),
            option("l", "L", "L", "L", "L"),
            option("xl", "XL", "XL", "XL", "XL"),
            option("xxl", "XXL", "XXL", "XXL", "XXL"));

    static final List<Option> MATERIALS = List.of(
            option("cotton", "Baumwolle", "Cotton", "Coton", "Bawełna"),
            option("wool", "Wolle", "Wool", "Laine", "Wełna"),
            option("leather", "Leder", "Leather", "Cuir", "Skóra"),
            option("linen", "Leinen", "Linen", "Lin", "Len"),
            option("polyester", "Polyester", "Polyester", "Polyester", "Poliester"),
            option("silk", "Seide", "Silk", "Soie", "Jedwab"),
            option("denim", "Denim", "Denim", "Denim", "Dżins"),
            option("suede", "Wildleder", "Suede", "Daim", "Zamsz"));

    static final List<AttributeSpec> ATTRIBUTES = List.of(
            attribute("name", "TEXT", "local", names("Name", "Name", "Nom", "Nazwa"), List.of()),
            attribute("description", "TEXT_AREA", "local", names("Beschreibung", "Description", "Description", "Opis"), List.of()),
            attribute("color", "SELECT", "global", names("Farbe", "Colour", "Couleur", "Kolor"), COLORS),
            attribute("size", "SELECT", "global", names("Größe", "Size", "Taille", "Rozmiar"), SIZES),
            attribute("materials", "MULTI_SELECT", "global", names("Materialien", "Materials", "Matières", "Materiały"), MATERIALS),
            attribute("weight", "NUMERIC", "global", names("Gewicht", "Weight", "Poids", "Waga"), List.of()),
            attribute("price", "PRICE", "global", names("Preis", "Price", "Prix", "Cena"), List.of()),
            attribute(CatalogGenerator.RELATION_ATTRIBUTE, "PRODUCT_RELATION", "global",
                    names("Ähnliche Produkte", "Related products", "Produits associés", "Podobne produkty"), List.of()));

    static final List<CategorySpec> CATEGORIES = List.of(
            category("shoes", "Schuhe", "Shoes", "Chaussures", "Buty"),
            category("boots", "Stiefel", "Boots", "Bottes", "Kozaki"),
            category("sandals", "Sandalen", "Sandals", "Sandales", "Sandały"),
            category("jackets", "Jacken", "Jackets", "Vestes", "Kurtki"),
            category("shirts", "Hemden", "Shirts", "Chemises", "Koszule"),
            category("trousers", "Hosen", "Trousers", "Pantalons", "Spodnie"),
            category("bags", "Taschen", "Bags", "Sacs", "Torby"),
            category("hats", "Hüte", "Hats", "Chapeaux", "Kapelusze"),
            category("socks", "Socken", "Socks", "Chaussettes", "Skarpety"),
            category("accessories", "Zubehör", "Accessories", "Accessoires", "Akcesoria"),
            category("sale", "Angebote", "Sale", "Soldes", "Wyprzedaż"),
            category("new_arrivals", "Neuheiten", "New arrivals", "Nouveautés", "Nowości"));

    /** Adjectives and nouns per language, index for index the same word. */
    static final Map<String, List<String>> ADJECTIVES = Map.of(
            "de_DE", List.of("Klassischer", "Städtischer", "Alpiner", "Leichter", "Robuster", "Eleganter", "Wärmender", "Sportlicher"),
            "en_GB", List.of("Classic", "Urban", "Alpine", "Light", "Rugged", "Elegant", "Warm", "Sporty"),
            "fr_FR", List.of("Classique", "Urbain", "Alpin", "Léger", "Robuste", "Élégant", "Chaud", "Sportif"),
            "pl_PL", List.of("Klasyczny", "Miejski", "Alpejski", "Lekki", "Wytrzymały", "Elegancki", "Ciepły", "Sportowy"));
    static final Map<String, List<String>> NOUNS = Map.of(
            "de_DE", List.of("Stiefel", "Mantel", "Rucksack", "Pullover", "Hut", "Gürtel", "Schal", "Sneaker"),
            "en_GB", List.of("Boot", "Coat", "Backpack", "Jumper", "Hat", "Belt", "Scarf", "Trainer"),
            "fr_FR", List.of("Botte", "Manteau", "Sac à dos", "Pull", "Chapeau", "Ceinture", "Écharpe", "Basket"),
            "pl_PL", List.of("But", "Płaszcz", "Plecak", "Sweter", "Kapelusz", "Pasek", "Szalik", "Trampek"));
    /** The start of a description, followed by the product's number. */
    static final Map<String, String> DESCRIPTION = Map.of(
            "de_DE", "Hergestellt für jeden Tag, Modell",
            "en_GB", "Made for every day, model",
            "fr_FR", "Conçu pour tous les jours, modèle",
            "pl_PL", "Stworzony na co dzień, model");

    private CatalogVocabulary() {
    }

    private static Option option(String code, String... namesInLanguageOrder) {
        return new Option(code, names(namesInLanguageOrder));
    }

    private static AttributeSpec attribute(String code, String type, String scope, SortedMap<String, String> name, List<Option> options) {
        return new AttributeSpec(code, type, scope, name, options);
    }

    private static CategorySpec category(String code, String... namesInLanguageOrder) {
        return new CategorySpec(code, names(namesInLanguageOrder));
    }

    /** Names given in the order of {@link #LANGUAGES}. */
    static SortedMap<String, String> names(String... namesInLanguageOrder) {
        SortedMap<String, String> names = new TreeMap<>();
        for (int i = 0; i < namesInLanguageOrder.length; i++) {
            names.put(LANGUAGES.get(i), namesInLanguageOrder[i]);
        }
        return names;
    }
}
