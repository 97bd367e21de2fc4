package dev.sotto.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sotto.SottoException;
import dev.sotto.engine.FrameEnergy;
import dev.sotto.engine.Result;
import dev.sotto.engine.Token;
import dev.sotto.engine.Word;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How well word times match a reference, and how a model's emission delay is measured.
 *
 * <p>{@link #score}: the reference and hypothesis words are normalised one by one (the
 * language-neutral normaliser, a word's pieces joined) and aligned by minimum edits; only
 * words the alignment matches count. The errors are |start - reference start| and
 * |end - reference end|, reported as mean and 90th percentile.
 *
 * <p>{@link #onsetDelays}: evidence for the emission delay that needs no word-level
 * reference. In each result's own loudness (10 ms frames; sound is louder than
 * {@link FrameEnergy#speechThreshold}), every onset of sound after at least
 * {@value #MIN_PAUSE_SECONDS} s of quiet (or at the start of the audio) is paired with the
 * first word-starting token emitted from 0.1 s before it to {@value #MAX_DELAY_SECONDS} s
 * after it; the delay is the token's time less the onset. The median over many onsets is
 * the model's delay.
 */
public final class WordTimes {
    static final double MIN_PAUSE_SECONDS = 0.25;
    static final double MAX_DELAY_SECONDS = 0.8;

    private WordTimes() {
    }

    /** A reference word: text and times in seconds. */
    public record Reference(String text, double start, double end) {
    }

    /** Errors on matched words. */
    public record Score(int matched, int referenceWords, int hypothesisWords, double startMean, double startP90,
                        double endMean, double endP90) {
        public String describe() {
            return String.format(Locale.ROOT, "%d of %d reference words matched (%d hypothesis words); "
                            + "start error mean %.3f s, p90 %.3f s; end error mean %.3f s, p90 %.3f s",
                    matched, referenceWords, hypothesisWords, startMean, startP90, endMean, endP90);
        }
    }

    /**
     * The words of one {@code language_tests} entry of a Picovoice leopard test file
     * ({@code tests.language_tests[].words[]} with {@code word}, {@code start_sec}, {@code end_sec}).
     */
    public static List<Reference> readLeopard(Path file, String language) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new SottoException(file + ": cannot read it as JSON: " + e.getMessage());
        }
        JsonNode tests = root.path("tests").path("language_tests");
        if (!tests.isArray()) throw new SottoException(file + ": no tests.language_tests array (a leopard test-data file?)");
        for (JsonNode test : tests) {
            if (!test.path("language").asText().equalsIgnoreCase(language)) continue;
            List<Reference> out = new ArrayList<>();
            for (JsonNode w : test.path("words")) {
                if (!w.has("word") || !w.has("start_sec") || !w.has("end_sec")) {
                    throw new SottoException(file + ": a word of the '" + language + "' test lacks word, start_sec or end_sec");
                }
                out.add(new Reference(w.get("word").asText(), w.get("start_sec").asDouble(), w.get("end_sec").asDouble()));
            }
            return out;
        }
        throw new SottoException(file + ": no language_tests entry for language '" + language + "'");
    }

    public static Score score(List<Reference> reference, List<Word> hypothesis) {
        List<String> ref = reference.stream().map(r -> normalized(r.text())).toList();
        List<String> hyp = hypothesis.stream().map(w -> normalized(w.text())).toList();
        List<Double> starts = new ArrayList<>();
        List<Double> ends = new ArrayList<>();
        int i = 0;
        int j = 0;
        for (Alignment.Step step : Alignment.of(ref, hyp).steps()) {
            switch (step.op()) {
                case HIT -> {
                    starts.add(Math.abs(hypothesis.get(j).start() - reference.get(i).start()));
                    ends.add(Math.abs(hypothesis.get(j).end() - reference.get(i).end()));
                    i++;
                    j++;
                }
                case SUBSTITUTION -> {
                    i++;
                    j++;
                }
                case DELETION -> i++;
                case INSERTION -> j++;
            }
        }
        return new Score(starts.size(), reference.size(), hypothesis.size(), mean(starts), percentile(starts, 90),
                mean(ends), percentile(ends, 90));
    }

    private static String normalized(String word) {
        return BasicNormalizer.INSTANCE.normalize(word).replace(" ", "");
    }

    /** Emission delays (seconds) at the onsets of sound after pauses in one result, from its own loudness. */
    public static List<Double> onsetDelays(Result r) {
        FrameEnergy.View energy = r.timing().energy();
        double[] levels = energy.levels(0, energy.frames());
        List<Double> out = new ArrayList<>();
        double threshold = FrameEnergy.speechThreshold(levels);
        if (Double.isNaN(threshold)) return out;
        int pause = (int) Math.round(MIN_PAUSE_SECONDS / FrameEnergy.HOP_SECONDS);
        int quiet = 0;
        for (int f = 0; f < levels.length; f++) {
            if (levels[f] <= threshold) {
                quiet++;
                continue;
            }
            if (quiet >= pause || quiet == f) {
                double onset = f * FrameEnergy.HOP_SECONDS;
                for (Token t : r.tokens()) {
                    if (!t.text().startsWith(" ") || t.start() < onset - 0.1) continue;
                    if (t.start() - onset < MAX_DELAY_SECONDS) out.add(t.start() - onset);
                    break;
                }
            }
            quiet = 0;
        }
        return out;
    }

    public static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    public static double percentile(List<Double> v, double p) {
        if (v.isEmpty()) return Double.NaN;
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s[(int) Math.round(p / 100 * (s.length - 1))];
    }
}
