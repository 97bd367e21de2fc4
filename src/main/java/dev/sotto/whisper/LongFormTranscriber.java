package dev.sotto.whisper;

import dev.sotto.features.SampleBuffer;
import dev.sotto.features.WhisperMel;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * openai/whisper's long-form loop over a stream: decode the 30 s window at {@code seek},
 * keep its complete segments, and move {@code seek} to the end of the last one (or past
 * the window when it ended cleanly, or was silence). The text decoded so far, up to 223
 * tokens, conditions the next window unless a high temperature was needed. One window is
 * in flight at a time, since the next start depends on its result; only the samples from
 * {@code seek} on are kept.
 */
final class LongFormTranscriber implements WindowPlanner {
    private static final int MAX_PROMPT = 223;

    private final SampleBuffer audio = new SampleBuffer();
    private final WhisperMel mel;
    private final WhisperSettings settings;
    private final int timestampBegin;
    private final Deque<Integer> previousText = new ArrayDeque<>();
    private long seek;             // frames
    private boolean finished;
    private boolean pending;

    LongFormTranscriber(WhisperMel mel, WhisperSettings settings, int timestampBegin, int[] initialPrompt) {
        this.mel = mel;
        this.settings = settings;
        this.timestampBegin = timestampBegin;
        for (int t : initialPrompt) remember(t);
    }

    @Override
    public void accept(float[] samples, int offset, int length) {
        audio.append(samples, offset, length);
    }

    @Override
    public void finish() {
        finished = true;
    }

    private long contentFrames() {
        return audio.length() / WhisperMel.HOP;
    }

    @Override
    public boolean ready() {
        if (pending) return false;
        long windowEnd = (seek + WhisperMel.N_FRAMES) * WhisperMel.HOP + WhisperMel.N_FFT / 2;
        return finished ? seek < contentFrames() : audio.length() >= windowEnd;
    }

    @Override
    public List<Window> take(int max) {
        if (max < 1 || !ready()) return List.of();
        int segmentFrames = (int) (finished ? Math.min(WhisperMel.N_FRAMES, contentFrames() - seek) : WhisperMel.N_FRAMES);
        float[] frames = new float[mel.nMels() * WhisperMel.N_FRAMES];
        mel.window(audio::at, finished ? audio.length() : Long.MAX_VALUE, seek, WhisperMel.N_FRAMES, frames);
        pending = true;
        int[] prompt = previousText.stream().mapToInt(Integer::intValue).toArray();
        return List.of(new Window(frames, seek * 0.01, (int) seek, segmentFrames, prompt, settings.seed() + seek,
                (seek + segmentFrames) * 0.01));
    }

    @Override
    public void complete(Window window, DecodeResult result, Transcript transcript) {
        pending = false;
        if (result.isSilence(settings)) {
            seek += window.segmentFrames();
        } else {
            SegmentSplitter.Split split = SegmentSplitter.split(result.tokens(), timestampBegin, window.segmentFrames());
            for (SegmentSplitter.Piece piece : split.pieces()) {
                transcript.add(piece, window.offset(), window.seekFrames(), result).forEach(this::remember);
            }
            seek += split.advance();
            if (!settings.conditionOnPreviousText() || result.temperature() > 0.5) previousText.clear();
        }
        // The next window's first frame looks 200 samples back.
        audio.discardBefore(seek * WhisperMel.HOP - WhisperMel.N_FFT / 2);
    }

    private void remember(int token) {
        previousText.addLast(token);
        while (previousText.size() > MAX_PROMPT) previousText.removeFirst();
    }

    @Override
    public boolean done() {
        return finished && !pending && seek >= contentFrames();
    }

    @Override
    public long bufferedSamples() {
        return audio.retained();
    }

    @Override
    public double secondsDecoded() {
        return Math.min(seek, contentFrames()) * 0.01;
    }
}
