package dev.sotto.parakeet;

import dev.sotto.decode.Vocabulary;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Language-tag tokens in a vocabulary, {@code <|de|>} or {@code <de-DE>}: a multilingual
 * model that emits one says which language it heard (Parakeet v3 takes no prompt).
 */
final class LanguageTags {
    private static final Pattern TAG = Pattern.compile("<\\|([a-z]{2,3})\\|>|<([a-z]{2,3}-[A-Z]{2})>");

    private LanguageTags() {
    }

    /** Token id → language ("de", "de-DE"). */
    static Map<Integer, String> of(Vocabulary vocabulary) {
        Map<Integer, String> out = new TreeMap<>();
        List<String> pieces = vocabulary.pieces();
        for (int id = 0; id < pieces.size(); id++) {
            if (pieces.get(id) == null) continue;
            Matcher m = TAG.matcher(pieces.get(id));
            if (m.matches()) out.put(id, m.group(1) != null ? m.group(1) : m.group(2));
        }
        return out;
    }
}
