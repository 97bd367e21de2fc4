package dev.sotto.eval;

/** The language-neutral steps of {@link TextNormalizer}; see there for the rules. */
final class BasicNormalizer implements TextNormalizer {
    static final BasicNormalizer INSTANCE = new BasicNormalizer();

    private BasicNormalizer() {
    }

    @Override
    public String normalize(String text) {
        return String.join(" ", TextPrep.tokenize(prepare(text), false));
    }

    /** NFKC, case folding, apostrophes, annotations, dotted abbreviations: the steps before tokenizing. */
    static String prepare(String text) {
        String s = TextPrep.nfkc(TextPrep.foldCase(TextPrep.nfkc(text)));
        s = TextPrep.unifyApostrophes(s);
        s = TextPrep.removeAnnotations(s);
        return TextPrep.joinDottedAbbreviations(s);
    }
}
