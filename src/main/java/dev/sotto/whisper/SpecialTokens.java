package dev.sotto.whisper;

import dev.sotto.SottoException;
import java.util.List;

/**
 * The ids of Whisper's special tokens for one model. They follow the BPE ranks in a fixed
 * order ({@code <|endoftext|>}, {@code <|startoftranscript|>}, one token per language,
 * translate, transcribe, startoflm, startofprev, nospeech, notimestamps, then 1501
 * timestamps), so they are computed from the vocabulary size: English-only models have one
 * BPE rank fewer, and large-v3 has one language more, which shifts every id after the
 * languages.
 */
record SpecialTokens(int vocabSize, boolean multilingual, int eot, int sot, List<String> languageCodes,
                     int translate, int transcribe, int sotLm, int sotPrev, int noSpeech, int noTimestamps,
                     int timestampBegin) {

    static final int MULTILINGUAL_RANKS = 50257;
    static final int ENGLISH_RANKS = 50256;
    static final int TIMESTAMPS = 1501;

    /** openai/whisper's layout for a model with {@code nVocab} logits. */
    static SpecialTokens forVocabulary(int nVocab) {
        boolean multilingual = nVocab >= 51865;
        int eot = multilingual ? MULTILINGUAL_RANKS : ENGLISH_RANKS;
        int languages = nVocab - eot - 8 - TIMESTAMPS;
        if (languages < 1 || languages > 100) {
            throw new SottoException("a Whisper model has 51864 (English-only), 51865 or 51866 (large-v3) output logits; "
                    + "this one has " + nVocab + ". Is it a Whisper export?");
        }
        int sot = eot + 1;
        int t = sot + 1 + languages;   // translate comes right after the languages
        return new SpecialTokens(nVocab, multilingual, eot, sot, Languages.codes(languages),
                t, t + 1, t + 2, t + 3, t + 4, t + 5, t + 6);
    }

    int languageCount() {
        return languageCodes.size();
    }

    /** The token of a language code, or -1 when the model does not know it. */
    int languageToken(String code) {
        int i = languageCodes.indexOf(code);
        return i < 0 ? -1 : sot + 1 + i;
    }

    String languageCode(int token) {
        int i = token - sot - 1;
        return i >= 0 && i < languageCodes.size() ? languageCodes.get(i) : null;
    }

    boolean isLanguageToken(int token) {
        return token > sot && token <= sot + languageCodes.size();
    }

    boolean isTimestamp(int token) {
        return token >= timestampBegin;
    }

    /** Seconds of a timestamp token (0.02 s steps). */
    double seconds(int timestampToken) {
        return (timestampToken - timestampBegin) * 0.02;
    }

    int lastTimestamp() {
        return timestampBegin + TIMESTAMPS - 1;
    }
}
