package dev.sotto.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The English rules of {@link TextNormalizer}; see there. */
final class EnglishNormalizer implements TextNormalizer {
    static final EnglishNormalizer INSTANCE = new EnglishNormalizer();

    private static final Set<String> FILLERS = Set.of("uh", "um", "uhm", "hmm", "mm", "mmm", "mhm");
    private static final Map<String, String> TITLES = Map.of("mr", "mister", "mrs", "missus", "dr", "doctor");

    private EnglishNormalizer() {
    }

    @Override
    public String normalize(String text) {
        String s = TextPrep.stripDiacritics(BasicNormalizer.prepare(text));
        List<String> tokens = EnglishNumbers.splitLettersAndDigits(TextPrep.tokenize(s, true));
        List<String> words = new ArrayList<>(tokens.size());
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (FILLERS.contains(t)) {
                continue;
            }
            if (t.equals("per") && i + 1 < tokens.size() && tokens.get(i + 1).equals("cent")) {
                words.add("percent");
                i++;
                continue;
            }
            words.add(TITLES.getOrDefault(t, t));
        }
        return String.join(" ", EnglishNumbers.rewrite(words));
    }
}
