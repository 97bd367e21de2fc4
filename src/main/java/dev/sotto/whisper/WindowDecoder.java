package dev.sotto.whisper;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a batch of encoded 30 s windows once, at one temperature: openai/whisper's
 * {@code DecodingTask.run}. The prompt is fed in one step, then one token per row per step;
 * the logits are filtered ({@link LogitFilters}), a {@link TokenSearch} picks the tokens,
 * and the best candidate of each window is ranked by length-normalised log-probability.
 * Also detects the language (one step on {@code <|startoftranscript|>}).
 */
final class WindowDecoder {
    /** Rows decoded together at most (windows x beams): the caches of large models grow with it. */
    static final int MAX_ROWS = 16;

    private final WhisperModel model;
    private final WhisperTokenizer tokenizer;
    private final SpecialTokens tokens;
    private final int[] suppress;
    private final int[] blank;

    WindowDecoder(WhisperModel model, WhisperTokenizer tokenizer, SpecialTokens tokens, int[] nonSpeech) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.tokens = tokens;
        this.suppress = LogitFilters.suppressedTokens(tokens, nonSpeech);
        this.blank = tokenizer.encode(" ");
    }

    /**
     * One window to decode: which entry of the encoded batch, its prompt
     * ({@code [<|startofprev|> previous text...] <|startoftranscript|> lang task [<|notimestamps|>]}),
     * and the seed of its sampling.
     */
    record Request(int audioIndex, int[] initialTokens, long seed) {
        int sotIndex(int sot) {
            for (int i = 0; i < initialTokens.length; i++) if (initialTokens[i] == sot) return i;
            throw new IllegalArgumentException("the prompt has no <|startoftranscript|>");
        }
    }

    /** Decodes requests whose prompts have the same length (the decoder steps all rows together). */
    List<DecodeResult> decode(WhisperModel.Audio audio, List<Request> requests, double temperature, WhisperSettings s) {
        int sampleBegin = requests.get(0).initialTokens().length;
        for (Request r : requests) {
            if (r.initialTokens().length != sampleBegin) throw new IllegalArgumentException("prompt lengths differ");
        }
        boolean beam = temperature == 0 && s.beamSize() > 1;
        int group = beam ? s.beamSize() : temperature > 0 ? Math.max(1, s.bestOf()) : 1;
        int perCall = Math.max(1, MAX_ROWS / group);
        if (requests.size() > perCall) {
            List<DecodeResult> all = new ArrayList<>();
            for (int from = 0; from < requests.size(); from += perCall) {
                all.addAll(decode(audio, requests.subList(from, Math.min(requests.size(), from + perCall)), temperature, s));
            }
            return all;
        }
        int rows = requests.size() * group;
        int[] audioOfRow = new int[rows];
        int[][] initial = new int[rows][];
        long[] seeds = new long[rows];
        for (int r = 0; r < rows; r++) {
            Request q = requests.get(r / group);
            audioOfRow[r] = q.audioIndex();
            initial[r] = q.initialTokens();
            seeds[r] = q.seed() * 1_000_003L + Double.doubleToLongBits(temperature) * 31 + r % group;
        }
        TokenSearch search = beam ? new BeamSearch(group, tokens.eot(), s.patience())
                : new GreedySearch(temperature, tokens.eot(), group, seeds);
        int maxInitial = (int) Math.round(s.maxInitialTimestamp() / 0.02);
        LogitFilters filters = new LogitFilters(tokens, suppress, blank, !s.withoutTimestamps(), maxInitial);
        int sampleLen = model.textContext() / 2;

        Hypotheses h = new Hypotheses(initial, sampleBegin);
        double[] noSpeech = new double[requests.size()];
        try (WhisperModel.Decoder decoder = model.decoder(audio, audioOfRow)) {
            int[][] feed = initial;
            for (int step = 0; step < sampleLen; step++) {
                WhisperModel.Logits logits = decoder.step(feed);
                if (step == 0) {
                    for (int w = 0; w < requests.size(); w++) {
                        float[] atSot = logits.at(w * group, requests.get(w).sotIndex(tokens.sot()));
                        noSpeech[w] = Math.exp(Softmax.logProb(atSot, tokens.noSpeech()));
                    }
                }
                float[][] next = new float[rows][];
                for (int r = 0; r < rows; r++) {
                    next[r] = logits.at(r, logits.positions() - 1);
                    int[] sampled = h.sampled(r);
                    filters.apply(next[r], sampled, sampled.length);
                }
                decoder.reorder(search.update(h, next));
                if (search.completed() || h.length() > model.textContext()) break;
                feed = new int[rows][];
                for (int r = 0; r < rows; r++) feed[r] = new int[] {h.last(r)};
            }
        }

        List<DecodeResult> results = new ArrayList<>();
        List<List<TokenSearch.Candidate>> candidates = search.finish(h);
        for (int w = 0; w < requests.size(); w++) {
            List<TokenSearch.Candidate> c = candidates.get(w);
            TokenSearch.Candidate best = c.get(TokenSearch.rank(c, sampleBegin, tokens.eot(), s.lengthPenalty()));
            int length = TokenSearch.sampledLength(best.tokens(), sampleBegin, tokens.eot());
            int[] sampled = java.util.Arrays.copyOfRange(best.tokens(), sampleBegin, sampleBegin + length);
            String text = tokenizer.decode(textTokens(sampled)).strip();
            results.add(new DecodeResult(sampled, text, best.logprob() / (length + 1), noSpeech[w], temperature,
                    DecodeResult.compressionRatio(text)));
        }
        return results;
    }

    /** The detected language of each window: its token and probability among the model's languages. */
    record Language(int token, String code, double probability) {
    }

    List<Language> detectLanguage(WhisperModel.Audio audio, int[] audioIndex) {
        int[][] sot = new int[audioIndex.length][];
        for (int i = 0; i < sot.length; i++) sot[i] = new int[] {tokens.sot()};
        List<Language> out = new ArrayList<>();
        try (WhisperModel.Decoder decoder = model.decoder(audio, audioIndex)) {
            WhisperModel.Logits logits = decoder.step(sot);
            for (int i = 0; i < audioIndex.length; i++) {
                float[] l = logits.at(i, 0);
                int first = tokens.sot() + 1;
                int count = tokens.languageCount();
                float[] languages = java.util.Arrays.copyOfRange(l, first, first + count);
                int best = Softmax.argmax(languages);
                double p = Math.exp(Softmax.logProb(languages, best));
                out.add(new Language(first + best, tokens.languageCode(first + best), p));
            }
        }
        return out;
    }

    /** The tokens that are text (below end-of-text). */
    int[] textTokens(int[] ids) {
        return java.util.Arrays.stream(ids).filter(t -> t < tokens.eot()).toArray();
    }
}
