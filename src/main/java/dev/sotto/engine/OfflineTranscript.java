package dev.sotto.engine;

import dev.sotto.decode.Emission;
import dev.sotto.decode.Vocabulary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The decoded pieces of one offline stream put together: each piece's tokens at their
 * times in the stream, one segment per piece with text, language tags taken out of the
 * text and reported as the language.
 */
final class OfflineTranscript {
    private final Vocabulary vocabulary;
    private final Map<Integer, String> languageTags;
    private final double frameSeconds;
    private final double emissionDelay;
    private final TreeMap<Integer, Decoded> pieces = new TreeMap<>();

    /** A decoded piece: where it starts in the stream and what the search emitted. */
    private record Decoded(double start, List<Emission> emissions) {
    }

    OfflineTranscript(Vocabulary vocabulary, Map<Integer, String> languageTags, double frameSeconds,
                      double emissionDelay) {
        this.vocabulary = vocabulary;
        this.emissionDelay = emissionDelay;
        this.languageTags = languageTags;
        this.frameSeconds = frameSeconds;
    }

    void add(int index, double startSeconds, List<Emission> emissions) {
        pieces.put(index, new Decoded(startSeconds, List.copyOf(emissions)));
    }

    /**
     * The language is the last tag the model emitted, or null (the models take no language
     * prompt). {@code energy}: the loudness of the stream's audio, for word timing.
     */
    Result result(FrameEnergy.View energy) {
        List<Token> tokens = new ArrayList<>();
        List<Segment> segments = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        String language = null;
        for (Decoded piece : pieces.values()) {
            List<Token> own = new ArrayList<>();
            List<Integer> ids = new ArrayList<>();
            for (Emission e : piece.emissions) {
                String tag = languageTags.get(e.token());
                if (tag != null) {
                    language = tag;
                    continue;
                }
                ids.add(e.token());
                own.add(new Token(vocabulary.tokenText(e.token()), e.token(), piece.start + e.frame() * frameSeconds,
                        e.duration() * frameSeconds));
            }
            String raw = rawText(ids);
            if (own.isEmpty() || raw.isBlank()) continue;
            Token last = own.get(own.size() - 1);
            double end = last.duration() > 0 ? last.end() : last.start() + frameSeconds;
            double start = Math.max(0, own.get(0).start() - emissionDelay);   // tokens keep their emission times
            segments.add(new Segment(segments.size(), start, end, raw.strip(), List.copyOf(own), true, null));
            tokens.addAll(own);
            text.append(raw);
        }
        return new Result(text.toString().strip(), List.copyOf(tokens), List.copyOf(segments),
                language, Double.NaN, new WordTiming(WordTiming.Method.TOKEN_TIMES, emissionDelay, energy));
    }

    /** The text of the ids with its leading space kept, so the pieces join as one text. */
    private String rawText(List<Integer> ids) {
        String text = vocabulary.detokenize(ids);
        boolean wordStart = !ids.isEmpty() && vocabulary.piece(ids.get(0)).startsWith("\u2581");
        return text.isEmpty() ? "" : (wordStart ? " " : "") + text;
    }
}
