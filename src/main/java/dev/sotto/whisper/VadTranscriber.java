package dev.sotto.whisper;

import dev.sotto.features.SampleBuffer;
import dev.sotto.features.WhisperMel;
import dev.sotto.vad.SileroVad;
import dev.sotto.vad.SpeechDetector;
import dev.sotto.vad.SpeechSegment;
import dev.sotto.vad.SpeechWindows;
import dev.sotto.vad.VadOptions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The VAD mode: Silero VAD finds speech, silence longer than 2 s is dropped, and the speech
 * is cut into windows of at most 30 s ({@link SpeechWindows}) that are independent of each
 * other, so several are decoded as one batch (faster-whisper's batched pipeline). Windows
 * are not conditioned on each other's text; each keeps its timestamps, shifted to the
 * window's place in the stream. A closed window keeps a copy of its samples until it is
 * decoded; the stream keeps only the speech not yet in a window.
 */
final class VadTranscriber implements WindowPlanner {
    private final SampleBuffer audio = new SampleBuffer();
    private final WhisperMel mel;
    private final WhisperSettings settings;
    private final int timestampBegin;
    private final int[] initialPrompt;
    private final SileroVad.Stream vad;
    private final SpeechDetector detector;
    private final SpeechWindows chunker = new SpeechWindows(WhisperMel.N_SAMPLES);
    private final Deque<Pending> windows = new ArrayDeque<>();
    private int pending;
    private boolean finished;
    private double decodedUntil;

    VadTranscriber(WhisperMel mel, WhisperSettings settings, int timestampBegin, int[] initialPrompt, SileroVad vad) {
        this.mel = mel;
        this.settings = settings;
        this.timestampBegin = timestampBegin;
        this.initialPrompt = initialPrompt;
        this.vad = vad.newStream();
        this.detector = new SpeechDetector(VadOptions.fasterWhisper());   // 30 s at most: one window
    }

    @Override
    public void accept(float[] samples, int offset, int length) {
        audio.append(samples, offset, length);
        detector.accept(vad.accept(samples, offset, length));
        collect();
        chunker.advance(detector.openStart());   // no later speech can start before this
        closeWindows();
        discard();
    }

    @Override
    public void finish() {
        if (finished) return;
        finished = true;
        detector.accept(vad.finish());
        detector.finish(audio.length());
        collect();
        chunker.finish();
        closeWindows();
    }

    /** A closed VAD window and its samples (copied, so the stream buffer can move on). */
    private record Pending(SpeechSegment span, float[] samples) {
    }

    private void collect() {
        for (SpeechSegment s : detector.poll()) chunker.add(s);
    }

    private void closeWindows() {
        for (SpeechSegment w : chunker.poll()) {
            float[] samples = new float[(int) w.length()];
            for (int i = 0; i < samples.length; i++) samples[i] = (float) audio.at(w.start() + i);
            windows.add(new Pending(w, samples));
        }
    }

    @Override
    public boolean ready() {
        // Wait for a full batch unless the input is over.
        return !windows.isEmpty() && (finished || windows.size() >= settings.vadBatchSize());
    }

    @Override
    public List<Window> take(int max) {
        if (max < 1 || !ready()) return List.of();
        List<Window> out = new ArrayList<>();
        while (!windows.isEmpty() && out.size() < max) {
            Pending p = windows.removeFirst();
            SpeechSegment w = p.span();
            float[] frames = new float[mel.nMels() * WhisperMel.N_FRAMES];
            long start = w.start();
            mel.window(i -> p.samples()[(int) i], w.length(), 0, WhisperMel.N_FRAMES, frames);
            int segmentFrames = (int) Math.min(WhisperMel.N_FRAMES, (w.length() + WhisperMel.HOP - 1) / WhisperMel.HOP);
            out.add(new Window(frames, w.startSeconds(), (int) (start / WhisperMel.HOP), segmentFrames, initialPrompt,
                    settings.seed() + start, w.endSeconds()));
            pending++;
        }
        return out;
    }

    @Override
    public void complete(Window window, DecodeResult result, Transcript transcript) {
        pending--;
        decodedUntil = Math.max(decodedUntil, window.end());
        if (result.isSilence(settings)) return;
        SegmentSplitter.Split split = SegmentSplitter.split(result.tokens(), timestampBegin, window.segmentFrames());
        for (SegmentSplitter.Piece piece : split.pieces()) transcript.add(piece, window.offset(), window.seekFrames(), result);
        int[] rest = split.unfinished();
        if (rest.length > 0 && rest[0] >= timestampBegin) {
            // Text running to the end of the window: one more segment, ending with the speech.
            double start = (rest[0] - timestampBegin) * 0.02;
            transcript.add(new SegmentSplitter.Piece(start, window.end() - window.offset(), rest), window.offset(),
                    window.seekFrames(), result);
        }
    }

    /** Keeps the samples of speech not yet in a closed window. */
    private void discard() {
        long keep = detector.openStart();
        if (chunker.openStart() >= 0) keep = Math.min(keep, chunker.openStart());
        audio.discardBefore(keep);
    }

    @Override
    public boolean done() {
        return finished && windows.isEmpty() && pending == 0;
    }

    @Override
    public long bufferedSamples() {
        return audio.retained() + windows.stream().mapToLong(p -> p.samples().length).sum();
    }

    @Override
    public double secondsDecoded() {
        return finished && done() ? audio.length() / 16000.0 : decodedUntil;
    }
}
