package dev.sotto.nemo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sotto.SottoException;
import dev.sotto.runtime.OnnxModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Nemotron 3.5's language prompts: the {@code prompt_dictionary} metadata maps locales
 * ({@code de-DE}) to the id fed as {@code prompt_index}; {@code auto_prompt_id} asks the
 * model to detect the language. A bare language code ({@code de}) picks its locale.
 */
final class Prompts {
    private final Map<String, Integer> byLocale;   // lower-case locale -> id
    private final List<String> languages;          // as the metadata spells them, sorted
    private final int autoId;

    private Prompts(Map<String, Integer> byLocale, List<String> languages, int autoId) {
        this.byLocale = byLocale;
        this.languages = languages;
        this.autoId = autoId;
    }

    static Prompts fromMetadata(OnnxModel model) {
        String json = model.meta("prompt_dictionary");
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (Exception e) {
            throw new SottoException(model.file() + ": metadata prompt_dictionary is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new SottoException(model.file() + ": metadata prompt_dictionary should be a JSON object of language -> id");
        }
        Map<String, Integer> byLocale = new TreeMap<>();
        List<String> languages = new ArrayList<>();
        root.fields().forEachRemaining(e -> {
            if (!e.getValue().canConvertToInt()) {
                throw new SottoException(model.file() + ": prompt_dictionary entry '" + e.getKey() + "' is not an integer id");
            }
            byLocale.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().asInt());
            if (!e.getKey().equalsIgnoreCase("auto")) languages.add(e.getKey());
        });
        Collections.sort(languages);
        int auto = model.metaInt("auto_prompt_id", byLocale.getOrDefault("auto", 101));
        return new Prompts(byLocale, List.copyOf(languages), auto);
    }

    List<String> languages() {
        return languages;
    }

    /** The prompt id for "auto", a locale, or a bare language code. */
    long idFor(String language, String file) {
        String key = language.toLowerCase(Locale.ROOT).replace('_', '-');
        if (key.equals("auto")) return autoId;
        Integer id = byLocale.get(key);
        if (id != null) return id;
        if (!key.contains("-")) {
            // "de" -> "de-DE" when the model has it, else the locale of that language with the lowest id
            Integer preferred = byLocale.get(key + "-" + key);
            if (preferred != null) return preferred;
            return byLocale.entrySet().stream()
                    .filter(e -> e.getKey().startsWith(key + "-"))
                    .min(Map.Entry.comparingByValue())
                    .map(Map.Entry::getValue)
                    .orElseThrow(() -> unknown(language, file));
        }
        throw unknown(language, file);
    }

    private SottoException unknown(String language, String file) {
        return new SottoException("language '" + language + "' is not one the model knows (" + file
                + "). Use auto or one of: " + String.join(", ", languages));
    }
}
