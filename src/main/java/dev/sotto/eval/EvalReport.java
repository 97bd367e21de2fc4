package dev.sotto.eval;

import java.util.List;

/**
 * The result of an evaluation run: one {@link Utterance} per manifest row and the corpus {@link Totals}.
 * Render it with {@link ReportFormat}.
 */
public record EvalReport(List<Utterance> utterances, Totals totals) {

    public EvalReport {
        utterances = List.copyOf(utterances);
    }

    /** A report whose totals are computed from the utterances. */
    public static EvalReport of(List<Utterance> utterances) {
        return new EvalReport(utterances, Totals.of(utterances));
    }

    /**
     * One scored utterance.
     *
     * @param path                 the audio path as the manifest writes it
     * @param lang                 the row's language code
     * @param reference            the reference as written
     * @param hypothesis           what the engine output ("" for nothing)
     * @param normalizedReference  after {@link TextNormalizer}
     * @param normalizedHypothesis after {@link TextNormalizer}
     * @param unit                 words (WER) or characters (CER)
     * @param alignment            the token alignment the counts come from
     * @param durationSeconds      audio length; NaN if unknown
     * @param decodeSeconds        wall-clock decoding time; NaN if unknown
     */
    public record Utterance(String path, String lang, String reference, String hypothesis,
                            String normalizedReference, String normalizedHypothesis, ScoringUnit unit,
                            Alignment alignment, double durationSeconds, double decodeSeconds) {

        /** Normalises both texts for {@code lang}, splits them into its scoring unit and aligns them. */
        public static Utterance score(String path, String lang, String reference, String hypothesis,
                                      double durationSeconds, double decodeSeconds) {
            String ref = reference == null ? "" : reference;
            String hyp = hypothesis == null ? "" : hypothesis;
            TextNormalizer normalizer = TextNormalizer.forLanguage(lang);
            ScoringUnit unit = ScoringUnit.forLanguage(lang);
            String normRef = normalizer.normalize(ref);
            String normHyp = normalizer.normalize(hyp);
            Alignment alignment = Alignment.of(unit.split(normRef), unit.split(normHyp));
            return new Utterance(path, lang, ref, hyp, normRef, normHyp, unit, alignment, durationSeconds,
                    decodeSeconds);
        }

        public static Utterance score(Manifest.Entry entry, String hypothesis, double durationSeconds,
                                      double decodeSeconds) {
            return score(entry.path(), entry.lang(), entry.reference(), hypothesis, durationSeconds, decodeSeconds);
        }

        public ErrorRate errors() {
            return alignment.counts();
        }

        /** WER or CER (per {@link #unit()}) as a fraction; NaN if the reference is empty but the hypothesis not. */
        public double errorRate() {
            return errors().rate();
        }
    }

    /**
     * Corpus totals. Rates are summed errors over summed reference length, not a mean of per-utterance
     * rates, so long utterances weigh more. Word- and character-scored rows are totalled apart.
     *
     * @param utteranceCount  rows scored
     * @param wordErrors      summed counts of the word-scored rows; null if there are none
     * @param characterErrors summed counts of the character-scored (ja/zh/ko) rows; null if there are none
     * @param audioSeconds    summed durations (NaN durations skipped)
     * @param decodeSeconds   summed decode times (NaN times skipped)
     */
    public record Totals(int utteranceCount, ErrorRate wordErrors, ErrorRate characterErrors,
                         double audioSeconds, double decodeSeconds) {

        public static Totals of(List<Utterance> utterances) {
            List<ErrorRate> words = utterances.stream().filter(u -> u.unit() == ScoringUnit.WORD)
                    .map(Utterance::errors).toList();
            List<ErrorRate> chars = utterances.stream().filter(u -> u.unit() == ScoringUnit.CHARACTER)
                    .map(Utterance::errors).toList();
            double audio = utterances.stream().mapToDouble(Utterance::durationSeconds).filter(Double::isFinite).sum();
            double decode = utterances.stream().mapToDouble(Utterance::decodeSeconds).filter(Double::isFinite).sum();
            return new Totals(utterances.size(), words.isEmpty() ? null : ErrorRate.sum(words),
                    chars.isEmpty() ? null : ErrorRate.sum(chars), audio, decode);
        }

        /** Corpus WER as a fraction; null if no row is word-scored, NaN if all their references are empty. */
        public Double wer() {
            return wordErrors == null ? null : wordErrors.rate();
        }

        /** Corpus CER as a fraction; null if no row is character-scored. */
        public Double cer() {
            return characterErrors == null ? null : characterErrors.rate();
        }

        /** Decode time over audio time (below 1 is faster than real time); NaN without audio time. */
        public double realTimeFactor() {
            return audioSeconds > 0 ? decodeSeconds / audioSeconds : Double.NaN;
        }
    }
}
