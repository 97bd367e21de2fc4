package dev.sotto.eval;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Rewrites spelled-out English numbers as digits, token by token (see {@link TextNormalizer} for the
 * rules and why this direction). Written from the rules down, not ported: one pass, a small state
 * machine that either adds a word arithmetically ("twenty" + "five") or, where English reads digit
 * groups one after another ("nineteen sixty", "one oh one"), concatenates them.
 */
final class EnglishNumbers {
    private static final Pattern DIGITS = Pattern.compile("\\d+(\\.\\d+)?");
    private static final Pattern LETTERS_AND_DIGITS = Pattern.compile("(?<=\\p{L})(?=\\d)|(?<=\\d)(?=\\p{L})");
    private static final Pattern DIGIT_SUFFIX = Pattern.compile("\\d+(st|nd|rd|th|s)");

    private static final String[] UNIT_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight",
            "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
            "nineteen"};
    private static final String[] TENS_WORDS = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
            "ninety"};

    /** one..nineteen. */
    private static final Map<String, Integer> UNITS = new HashMap<>();
    /** twenty..ninety. */
    private static final Map<String, Integer> TENS = new HashMap<>();
    /** thousand..trillion; "hundred" is handled apart because it multiplies only within a group. */
    private static final Map<String, Long> SCALES = Map.of("thousand", 1_000L, "million", 1_000_000L,
            "billion", 1_000_000_000L, "trillion", 1_000_000_000_000L);
    /** Ordinals and plurals: the cardinal word they are read as, and the suffix the digits keep. */
    private static final Map<String, String[]> SUFFIXED = new HashMap<>();
    private static final Map<String, String[]> CURRENCY = Map.of(
            "$", new String[] {"dollar", "dollars"}, "£", new String[] {"pound", "pounds"},
            "€", new String[] {"euro", "euros"}, "¢", new String[] {"cent", "cents"});

    static {
        for (int i = 0; i < UNIT_WORDS.length; i++) {
            UNITS.put(UNIT_WORDS[i], i + 1);
        }
        for (int i = 0; i < TENS_WORDS.length; i++) {
            TENS.put(TENS_WORDS[i], (i + 2) * 10);
        }
        SUFFIXED.put("first", new String[] {"one", "st"});
        SUFFIXED.put("second", new String[] {"two", "nd"});
        SUFFIXED.put("third", new String[] {"three", "rd"});
        SUFFIXED.put("fifth", new String[] {"five", "th"});
        SUFFIXED.put("eighth", new String[] {"eight", "th"});
        SUFFIXED.put("ninth", new String[] {"nine", "th"});
        SUFFIXED.put("twelfth", new String[] {"twelve", "th"});
        for (String w : UNIT_WORDS) {
            if (!List.of("one", "two", "three", "five", "eight", "nine", "twelve").contains(w)) {
                SUFFIXED.put(w + "th", new String[] {w, "th"}); // fourth, sixth, tenth, thirteenth...
            }
        }
        for (String w : TENS_WORDS) {
            String stem = w.substring(0, w.length() - 1);
            SUFFIXED.put(stem + "ieth", new String[] {w, "th"}); // twentieth
            SUFFIXED.put(stem + "ies", new String[] {w, "s"});   // the sixties -> 60s
        }
        for (String w : List.of("hundred", "thousand", "million", "billion", "trillion")) {
            SUFFIXED.put(w + "th", new String[] {w, "th"});
        }
    }

    private EnglishNumbers() {
    }

    /** Splits letter/digit boundaries ({@code 10km}, {@code mp3}) but keeps {@code 15th}, {@code 1960s}. */
    static List<String> splitLettersAndDigits(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        for (String t : tokens) {
            if (DIGIT_SUFFIX.matcher(t).matches() || !LETTERS_AND_DIGITS.matcher(t).find()) {
                out.add(t);
            } else {
                out.addAll(List.of(LETTERS_AND_DIGITS.split(t)));
            }
        }
        return out;
    }

    static List<String> rewrite(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        Run run = new Run(out);
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            String next = i + 1 < tokens.size() ? tokens.get(i + 1) : "";
            String afterNext = i + 2 < tokens.size() ? tokens.get(i + 2) : "";
            if (!consume(run, t, next, afterNext)) {
                run.finish();
                out.add(t);
            }
        }
        run.finish();
        return out;
    }

    /** Feeds one token to the run; false when it is not part of a number and must be copied as is. */
    private static boolean consume(Run run, String t, String next, String afterNext) {
        if (CURRENCY.containsKey(t)) {
            run.finish();
            if (t.equals("¢")) {
                run.attachCents(); // 50¢: the number is already out
            } else if (startsNumber(next)) {
                run.currency = CURRENCY.get(t);
            }
            return true; // a symbol with no number to go with is dropped, like any other symbol
        }
        if (DIGITS.matcher(t).matches()) {
            run.literal(t);
            return true;
        }
        Integer unit = UNITS.get(t);
        if (unit != null) {
            run.unit(unit);
            return true;
        }
        Integer tens = TENS.get(t);
        if (tens != null) {
            run.tens(tens);
            return true;
        }
        if (t.equals("hundred")) {
            run.hundred();
            return true;
        }
        Long scale = SCALES.get(t);
        if (scale != null) {
            run.scale(scale);
            return true;
        }
        String[] suffixed = SUFFIXED.get(t);
        if (suffixed != null) {
            consume(run, suffixed[0], next, afterNext);
            run.finishWithSuffix(suffixed[1]);
            return true;
        }
        if (t.equals("zero") || ((t.equals("oh") || t.equals("o")) && run.active() && isDigitWord(next))) {
            run.zero();
            return true;
        }
        if (t.equals("point") && run.canTakePoint() && startsFraction(next, afterNext)) {
            run.point();
            return true;
        }
        if (t.equals("and") && run.canTakeAnd() && isBelowHundred(next)) {
            return true; // "one hundred and five"
        }
        if (t.equals("a") && !run.active() && (next.equals("hundred") || SCALES.containsKey(next))) {
            run.unit(1); // "a hundred" is 100
            return true;
        }
        return false;
    }

    /** "point five", "point 14", "point oh five"; but "three point oh" keeps its words. */
    private static boolean startsFraction(String next, String afterNext) {
        if (next.equals("oh") || next.equals("o")) {
            return isDigitWord(afterNext);
        }
        return isDigitWord(next) || next.chars().allMatch(c -> c >= '0' && c <= '9') && !next.isEmpty();
    }

    private static boolean isDigitWord(String w) {
        Integer u = UNITS.get(w);
        return (u != null && u < 10) || w.equals("zero") || w.equals("oh") || w.equals("o");
    }

    /** one..ninety-nine as a word, or its ordinal: what "and" may join to a hundred or a thousand. */
    private static boolean isBelowHundred(String w) {
        String[] suffixed = SUFFIXED.get(w);
        String cardinal = suffixed == null ? w : suffixed[0];
        return UNITS.containsKey(cardinal) || TENS.containsKey(cardinal);
    }

    private static boolean startsNumber(String w) {
        return DIGITS.matcher(w).matches() || UNITS.containsKey(w) || TENS.containsKey(w) || w.equals("zero")
                || w.equals("hundred") || SCALES.containsKey(w);
    }

    /** What the last word added, which decides whether the next can add to it or must be concatenated. */
    private enum Last { NONE, UNIT, TEEN, TENS, HUNDRED, SCALE, ZERO, LITERAL, POINT }

    /** The number being read: fixed leading digits, then a value still open to arithmetic. */
    private static final class Run {
        private final List<String> out;
        /** Digits already fixed by concatenation ("nineteen" before "sixty"). */
        private final StringBuilder prefix = new StringBuilder();
        /** Completed thousand-groups of the open value, and the group under construction. */
        private BigDecimal total = BigDecimal.ZERO;
        private BigDecimal group = BigDecimal.ZERO;
        private boolean open;
        private long lastScale;
        /** Decimal digits after "point"; null outside a decimal. */
        private StringBuilder fraction;
        /** A digit token as written, kept verbatim ("007", "3.50") unless arithmetic changes it. */
        private String literal;
        private Last last = Last.NONE;
        private String[] currency;

        Run(List<String> out) {
            this.out = out;
        }

        boolean active() {
            return open || prefix.length() > 0;
        }

        boolean canTakePoint() {
            if (!open) {
                return last == Last.ZERO;
            }
            return fraction == null && literal == null && (last == Last.UNIT || last == Last.TEEN
                    || last == Last.TENS || last == Last.HUNDRED || last == Last.SCALE);
        }

        boolean canTakeAnd() {
            return open && fraction == null && (last == Last.HUNDRED || last == Last.SCALE);
        }

        void unit(int v) {
            if (fraction != null && v < 10) {
                fraction.append(v);
                return;
            }
            closeFraction();
            boolean adds = v < 10
                    ? last == Last.TENS || last == Last.HUNDRED || last == Last.SCALE
                    : last == Last.HUNDRED || last == Last.SCALE;
            if (!(open && adds)) {
                concatenate();
            }
            group = group.add(BigDecimal.valueOf(v));
            open = true;
            last = v < 10 ? Last.UNIT : Last.TEEN;
        }

        void tens(int v) {
            closeFraction();
            if (!(open && (last == Last.HUNDRED || last == Last.SCALE))) {
                concatenate();
            }
            group = group.add(BigDecimal.valueOf(v));
            open = true;
            last = Last.TENS;
        }

        void zero() {
            if (fraction != null) {
                fraction.append('0');
                return;
            }
            concatenate();
            prefix.append('0');
            last = Last.ZERO;
        }

        void hundred() {
            closeFraction();
            boolean small = group.signum() > 0 && group.compareTo(BigDecimal.valueOf(100)) < 0;
            boolean multiplies = open && small && (last == Last.UNIT || last == Last.TEEN || last == Last.TENS
                    || last == Last.LITERAL || last == Last.POINT);
            if (multiplies) {
                group = group.multiply(BigDecimal.valueOf(100)); // "nineteen hundred", "twenty five hundred"
            } else {
                concatenate();
                group = BigDecimal.valueOf(100);
                open = true;
            }
            literal = null;
            last = Last.HUNDRED;
        }

        void scale(long m) {
            closeFraction();
            BigDecimal mult = BigDecimal.valueOf(m);
            if (open && group.signum() > 0 && (lastScale == 0 || m < lastScale)) {
                total = total.add(group.multiply(mult)); // "two million three hundred thousand"
            } else if (open && group.signum() == 0 && total.signum() > 0 && m > lastScale) {
                total = total.multiply(mult); // "two thousand million"
            } else {
                concatenate();
                total = mult;
                open = true;
            }
            group = BigDecimal.ZERO;
            lastScale = m;
            literal = null;
            last = Last.SCALE;
        }

        void point() {
            if (!open) {
                group = new BigDecimal(prefix.toString()); // "zero point five", "one oh point five"
                prefix.setLength(0);
                open = true;
            }
            fraction = new StringBuilder();
            last = Last.POINT;
        }

        void literal(String digits) {
            if (fraction != null && last == Last.POINT && digits.matches("\\d+")) {
                fraction.append(digits); // "three point 14"
                return;
            }
            finish();
            group = new BigDecimal(digits);
            literal = digits;
            open = true;
            last = Last.LITERAL;
        }

        void finishWithSuffix(String suffix) {
            if (active()) {
                emit(render() + suffix);
            }
        }

        /** Ends the number (if any) and writes it out, followed by its currency word. */
        void finish() {
            if (active()) {
                emit(render());
            }
        }

        void attachCents() {
            if (!out.isEmpty() && DIGITS.matcher(out.get(out.size() - 1)).matches()) {
                out.add(CURRENCY.get("¢")[1]);
            } else if (!out.isEmpty() && out.get(out.size() - 1).equals("one")) {
                out.add(CURRENCY.get("¢")[0]);
            }
        }

        /**
         * The open value cannot take the next word arithmetically: fix its digits into the prefix
         * ("nineteen" "sixty" -> 19|60), or, if it is not a whole number, write it out on its own.
         */
        private void concatenate() {
            if (!open) {
                return;
            }
            closeFraction();
            String digits = renderOpen();
            if (digits.contains(".") || last == Last.LITERAL) {
                emit(prefix + digits);
            } else {
                prefix.append(digits);
                resetOpen();
            }
        }

        private void emit(String number) {
            closeFraction();
            String[] unit = currency;
            currency = null;
            boolean one = number.equals("1");
            out.add(one ? "one" : number); // "one" is mostly a pronoun: keep it a word, and write "1" as "one"
            if (unit != null) {
                out.add(one ? unit[0] : unit[1]);
            }
            prefix.setLength(0);
            resetOpen();
        }

        private String render() {
            closeFraction();
            return prefix + (open ? renderOpen() : "");
        }

        private String renderOpen() {
            if (literal != null) {
                return literal;
            }
            BigDecimal v = total.add(group);
            return isInteger(v) ? v.toBigInteger().toString() : v.stripTrailingZeros().toPlainString();
        }

        private void closeFraction() {
            if (fraction == null) {
                return;
            }
            String digits = fraction.toString();
            fraction = null;
            if (!digits.isEmpty()) {
                // Kept as spoken: "three point five zero" is 3.50, not 3.5.
                literal = (total.add(group)).toBigInteger() + "." + digits;
                group = new BigDecimal(literal);
                total = BigDecimal.ZERO;
            }
        }

        private void resetOpen() {
            total = BigDecimal.ZERO;
            group = BigDecimal.ZERO;
            open = false;
            lastScale = 0;
            literal = null;
            fraction = null;
            last = Last.NONE;
        }

        private static boolean isInteger(BigDecimal v) {
            return v.signum() == 0 || v.stripTrailingZeros().scale() <= 0;
        }
    }
}
