package dev.sotto.eval;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The character-level steps shared by both normalisers, and the tokenizer that ends them. */
final class TextPrep {
    /** Annotations that are not speech: {@code [noise]}, {@code <unk>}. Parentheses are kept (see TextNormalizer). */
    private static final Pattern ANNOTATION = Pattern.compile("\\[[^\\]]*\\]|<[^>]*>");
    /** Single letters joined by dots: {@code i.e.}, {@code u.s.a}; not {@code mr.} or {@code 3.5}. */
    private static final Pattern DOTTED = Pattern.compile("(?<![\\p{L}\\p{N}])\\p{L}(?:\\.\\p{L})+\\.?(?![\\p{L}\\p{N}])");
    /** Letters that carry no combining mark to drop under NFD but are still "accented" forms of ASCII letters. */
    private static final Map<Integer, String> EXTRA_FOLDS = Map.of(
            (int) 'æ', "ae", (int) 'œ', "oe", (int) 'ø', "o", (int) 'ß', "ss", (int) 'đ', "d",
            (int) 'ð', "d", (int) 'þ', "th", (int) 'ł', "l", (int) 'ı', "i");

    private TextPrep() {
    }

    static String nfkc(String s) {
        return Normalizer.normalize(s == null ? "" : s, Normalizer.Form.NFKC);
    }

    /**
     * Full case folding, approximated by upper- then lower-casing in the root locale: unlike a plain
     * lower-casing it also folds {@code ß} to {@code ss}. (Java's lower-casing puts a final sigma back
     * at word ends, so {@code ΟΔΟΣ} and {@code οδος} agree.)
     */
    static String foldCase(String s) {
        return s.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }

    /** Typographic apostrophes and look-alikes become {@code '}, so "don’t" and "don't" are one word. */
    static String unifyApostrophes(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> out.appendCodePoint(switch (cp) {
            case '\u2019', '\u2018', '\u02BC', '\u2032', '`', '\u00B4', '\u02B9', '\uFF07' -> '\'';
            default -> cp;
        }));
        return out.toString();
    }

    static String removeAnnotations(String s) {
        return ANNOTATION.matcher(s).replaceAll(" ");
    }

    static String joinDottedAbbreviations(String s) {
        Matcher m = DOTTED.matcher(s);
        return m.replaceAll(r -> Matcher.quoteReplacement(r.group().replace(".", "")));
    }

    /** Drops combining marks after canonical decomposition, and spells out the few letters NFD leaves alone. */
    static String stripDiacritics(String s) {
        String decomposed = Normalizer.normalize(s, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(decomposed.length());
        decomposed.codePoints().forEach(cp -> {
            if (Character.getType(cp) == Character.NON_SPACING_MARK) {
                return;
            }
            String folded = EXTRA_FOLDS.get(cp);
            if (folded != null) {
                out.append(folded);
            } else {
                out.appendCodePoint(cp);
            }
        });
        return Normalizer.normalize(out, Normalizer.Form.NFC);
    }

    /**
     * Splits folded text into tokens. Letters, digits and combining marks make up words; everything else
     * (whitespace, punctuation, symbols, hyphens) separates them, except:
     * <ul>
     *   <li>an apostrophe between two letters stays ({@code don't}); between a digit and {@code s} it is
     *       dropped ({@code 1960's} is {@code 1960s});</li>
     *   <li>a dot between digits stays ({@code 3.5}); in {@code english} mode a comma before exactly three
     *       digits is dropped ({@code 1,000}), and so is a colon before exactly two ({@code 10:30} reads as
     *       "ten thirty", which the number rules write {@code 1030}); in basic mode a comma between digits
     *       stays, since it may be a decimal comma;</li>
     *   <li>in {@code english} mode {@code $ £ € ¢} become tokens of their own and {@code %} the word
     *       {@code percent}, for the number rules to place.</li>
     * </ul>
     */
    static List<String> tokenize(String s, boolean english) {
        int[] cps = s.codePoints().toArray();
        List<String> tokens = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < cps.length; i++) {
            int cp = cps[i];
            int prev = i > 0 ? cps[i - 1] : ' ';
            int next = i + 1 < cps.length ? cps[i + 1] : ' ';
            if (isWordChar(cp)) {
                word.appendCodePoint(cp);
            } else if (cp == '\'' && Character.isLetter(prev) && Character.isLetter(next)) {
                word.append('\'');
            } else if (cp == '\'' && english && isAsciiDigit(prev) && next == 's' && !isWordChar(at(cps, i + 2))) {
                continue; // 1960's -> 1960s
            } else if (cp == '.' && isAsciiDigit(prev) && isAsciiDigit(next) && word.length() > 0) {
                word.append('.');
            } else if (cp == ',' && isAsciiDigit(prev) && isAsciiDigit(next) && word.length() > 0) {
                if (!english) {
                    word.append(',');
                } else if (!digitsThenBoundary(cps, i + 1, 3)) {
                    flush(word, tokens);
                }
            } else if (cp == ':' && english && isAsciiDigit(prev) && digitsThenBoundary(cps, i + 1, 2)) {
                continue; // 10:30 -> 1030
            } else if (english && (cp == '$' || cp == '£' || cp == '€' || cp == '¢')) {
                flush(word, tokens);
                tokens.add(new String(Character.toChars(cp)));
            } else if (english && cp == '%') {
                flush(word, tokens);
                tokens.add("percent");
            } else {
                flush(word, tokens);
            }
        }
        flush(word, tokens);
        return tokens;
    }

    private static boolean isWordChar(int cp) {
        if (Character.isLetterOrDigit(cp)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK || type == Character.LETTER_NUMBER
                || type == Character.OTHER_NUMBER;
    }

    private static boolean isAsciiDigit(int cp) {
        return cp >= '0' && cp <= '9';
    }

    private static int at(int[] cps, int i) {
        return i < cps.length ? cps[i] : ' ';
    }

    /** Exactly {@code n} ASCII digits from {@code from}, and no further digit. */
    private static boolean digitsThenBoundary(int[] cps, int from, int n) {
        for (int k = 0; k < n; k++) {
            if (!isAsciiDigit(at(cps, from + k))) {
                return false;
            }
        }
        return !isAsciiDigit(at(cps, from + n));
    }

    private static void flush(StringBuilder word, List<String> tokens) {
        if (word.length() > 0) {
            tokens.add(word.toString());
            word.setLength(0);
        }
    }
}
