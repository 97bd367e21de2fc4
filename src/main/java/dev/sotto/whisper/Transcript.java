package dev.sotto.whisper;

import dev.sotto.engine.FrameEnergy;
import dev.sotto.engine.Result;
import dev.sotto.engine.Segment;
import dev.sotto.engine.Token;
import dev.sotto.engine.WordTiming;
import java.util.ArrayList;
import java.util.List;

/**
 * The segments and tokens a stream has decoded so far, in the stream's time. Segments
 * without text (or without duration) are dropped, as Whisper clears them. Timestamp
 * tokens carry their exact time; a text token's start and duration come from the
 * cross-attention alignment where the export has one, else its start is estimated by its
 * character position between the segment's timestamps.
 */
final class Transcript {
    private final WhisperTokenizer tokenizer;
    private final SpecialTokens special;
    private final List<Segment> segments = new ArrayList<>();
    private final List<Token> tokens = new ArrayList<>();
    private final boolean aligned;
    private DecodeResult current;       // the window whose pieces are being added
    private int textTokensUsed;         // of current's text tokens, those in earlier pieces

    Transcript(WhisperTokenizer tokenizer, SpecialTokens special, boolean aligned) {
        this.tokenizer = tokenizer;
        this.special = special;
        this.aligned = aligned;
    }

    /**
     * Adds a segment whose times are relative to a window starting at {@code offset} seconds.
     * Returns its text tokens (what conditions the next window), empty when it was dropped.
     */
    List<Integer> add(SegmentSplitter.Piece piece, double offset, int seekFrames, DecodeResult result) {
        double start = offset + piece.start();
        double end = offset + piece.end();
        StringBuilder text = new StringBuilder();
        TokenText decoder = new TokenText();
        List<String> pieces = new ArrayList<>();
        for (int id : piece.tokens()) {
            String s = id < special.eot() ? decoder.append(tokenizer.bytes(id)) : "";
            pieces.add(s);
            text.append(s);
        }
        text.append(decoder.flush());
        if (result != current) {
            current = result;
            textTokensUsed = 0;
        }
        double[] starts = result.textTokenStarts();
        if (start == end || text.toString().isBlank()) {
            for (int id : piece.tokens()) if (id < special.eot()) textTokensUsed++;
            return List.of();
        }

        List<Token> segmentTokens = new ArrayList<>();
        int total = Math.max(1, text.length());
        int position = 0;
        for (int i = 0; i < piece.tokens().length; i++) {
            int id = piece.tokens()[i];
            if (special.isTimestamp(id)) {
                segmentTokens.add(new Token("", id, offset + special.seconds(id)));
            } else if (id < special.eot()) {
                int k = textTokensUsed++;
                Token t = starts != null && k + 1 < starts.length
                        ? new Token(pieces.get(i), id, offset + starts[k], starts[k + 1] - starts[k])
                        : new Token(pieces.get(i), id, start + (end - start) * position / total);
                segmentTokens.add(t);
                tokens.add(t);
                position += pieces.get(i).length();
            }
        }
        segments.add(new Segment(segments.size(), start, end, text.toString(), List.copyOf(segmentTokens), true,
                new Segment.Scores(seekFrames, result.temperature(), result.avgLogprob(), result.compressionRatio(),
                        result.noSpeechProb())));
        List<Integer> ids = new ArrayList<>();
        for (int id : piece.tokens()) ids.add(id);
        return ids;
    }

    Result result(String language, double languageProbability) {
        StringBuilder text = new StringBuilder();
        for (Segment s : segments) text.append(s.text());
        return new Result(text.toString().strip(), List.copyOf(tokens), List.copyOf(segments), language,
                languageProbability, new WordTiming(aligned ? WordTiming.Method.CROSS_ATTENTION
                        : WordTiming.Method.CHARACTERS, 0, FrameEnergy.View.NONE));
    }
}
