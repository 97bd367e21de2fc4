package dev.sotto.eval;

import dev.sotto.eval.Alignment.Op;
import dev.sotto.eval.Alignment.Step;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AlignmentTest {

    private static List<String> words(String s) {
        return ScoringUnit.WORD.split(s);
    }

    private static Alignment align(String ref, String hyp) {
        return Alignment.of(words(ref), words(hyp));
    }

    @Test
    void classicExampleIsOneSubstitutionAndOneDeletion() {
        Alignment a = align("the cat sat on the mat", "the cat sit on mat");
        assertEquals(new ErrorRate(1, 1, 0, 4), a.counts());
        assertEquals(6, a.counts().referenceLength());
        assertEquals(2.0 / 6, a.counts().rate(), 1e-12);
        assertEquals(List.of(
                new Step(Op.HIT, "the", "the"), new Step(Op.HIT, "cat", "cat"),
                new Step(Op.SUBSTITUTION, "sat", "sit"), new Step(Op.HIT, "on", "on"),
                new Step(Op.DELETION, "the", null), new Step(Op.HIT, "mat", "mat")), a.steps());
    }

    @Test
    void identicalSequencesAreAllHits() {
        ErrorRate e = align("a b c", "a b c").counts();
        assertEquals(new ErrorRate(0, 0, 0, 3), e);
        assertEquals(0.0, e.rate());
    }

    @Test
    void emptyHypothesisDeletesEverything() {
        ErrorRate e = align("one two three", "").counts();
        assertEquals(new ErrorRate(0, 3, 0, 0), e);
        assertEquals(1.0, e.rate());
    }

    @Test
    void emptyReferenceMakesEveryWordAnInsertionAndTheRateUndefined() {
        Alignment a = align("", "hello there");
        assertEquals(new ErrorRate(0, 0, 2, 0), a.counts());
        assertEquals(List.of(new Step(Op.INSERTION, null, "hello"), new Step(Op.INSERTION, null, "there")), a.steps());
        assertTrue(Double.isNaN(a.counts().rate()));
    }

    @Test
    void bothEmptyIsAPerfectScore() {
        Alignment a = align("", "");
        assertEquals(List.of(), a.steps());
        assertEquals(0.0, a.counts().rate());
    }

    @Test
    void insertionsCanPushTheRateAboveOne() {
        ErrorRate e = align("yes", "yes yes yes yes").counts();
        assertEquals(new ErrorRate(0, 0, 3, 1), e);
        assertEquals(3.0, e.rate());
    }

    @Test
    void completelyDifferentEqualLengthsAreSubstitutions() {
        assertEquals(new ErrorRate(2, 0, 0, 0), align("the cat", "a dog").counts());
    }

    @Test
    void tiesPreferFewerSubstitutions() {
        // Two alignments cost 2 edits: sub(a,b)+sub(b,c), or del(a) hit(b) ins(c). The second keeps a hit.
        Alignment a = align("a b", "b c");
        assertEquals(new ErrorRate(0, 1, 1, 1), a.counts());
        assertEquals(List.of(new Step(Op.DELETION, "a", null), new Step(Op.HIT, "b", "b"),
                new Step(Op.INSERTION, null, "c")), a.steps());
    }

    @Test
    void remainingTiesReportTheGapAsEarlyAsPossible() {
        assertEquals(List.of(new Step(Op.DELETION, "a", null), new Step(Op.HIT, "a", "a")), align("a a", "a").steps());
        assertEquals(List.of(new Step(Op.INSERTION, null, "a"), new Step(Op.HIT, "a", "a")), align("a", "a a").steps());
        // One substitution plus one deletion either way round: the diagonal step is taken last-first.
        assertEquals(List.of(new Step(Op.DELETION, "x", null), new Step(Op.SUBSTITUTION, "y", "z")),
                align("x y", "z").steps());
    }

    @Test
    void totalErrorsAreTheLevenshteinDistance() {
        // kitten -> sitting: the textbook distance 3 (k->s, e->i, insert g), over characters.
        Alignment a = Alignment.of(ScoringUnit.CHARACTER.split("kitten"), ScoringUnit.CHARACTER.split("sitting"));
        assertEquals(new ErrorRate(2, 0, 1, 4), a.counts());
    }

    @Test
    void stepsReproduceBothSequences() {
        List<String> ref = words("he hoped there would be stew for dinner turnips and carrots");
        List<String> hyp = words("she hoped there be a stew for for dinner turnip and carrots too");
        Alignment a = Alignment.of(ref, hyp);
        assertEquals(ref, a.steps().stream().filter(s -> s.ref() != null).map(Step::ref).toList());
        assertEquals(hyp, a.steps().stream().filter(s -> s.hyp() != null).map(Step::hyp).toList());
        assertEquals(ref.size(), a.counts().referenceLength());
        assertEquals(hyp.size(), a.counts().hypothesisLength());
        assertEquals(new ErrorRate(2, 1, 3, 8), a.counts());
    }

    @Test
    void charactersIgnoreWhitespace() {
        List<String> ref = ScoringUnit.CHARACTER.split("그는 이리저리 피하면서");
        List<String> hyp = ScoringUnit.CHARACTER.split("그는이리저리피하면서");
        assertEquals(10, ref.size());
        assertEquals(new ErrorRate(0, 0, 0, 10), Alignment.of(ref, hyp).counts());
        assertEquals(List.of("𠀋", "a"), ScoringUnit.CHARACTER.split("𠀋 a")); // a code point, not a UTF-16 unit
    }

    @Test
    void longUtterancesAlignQuickly() {
        List<String> ref = Collections.nCopies(3000, "w");
        List<String> hyp = Arrays.asList(new String[2990]);
        Collections.fill(hyp, "w");
        assertEquals(new ErrorRate(0, 10, 0, 2990), Alignment.of(ref, hyp).counts());
    }

    @Test
    void corpusRateIsTotalErrorsOverTotalReferenceWords() {
        ErrorRate shortBad = align("hello", "yellow").counts();                          // 1 of 1
        ErrorRate longGood = align("a b c d e f g h i j", "a b c d e f g h i j").counts(); // 0 of 10
        ErrorRate corpus = ErrorRate.sum(List.of(shortBad, longGood));
        assertEquals(1.0 / 11, corpus.rate(), 1e-12);
        double meanOfRates = (shortBad.rate() + longGood.rate()) / 2;
        assertEquals(0.5, meanOfRates, 1e-12); // what it is not
    }
}
