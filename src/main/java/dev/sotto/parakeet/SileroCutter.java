package dev.sotto.parakeet;

import dev.sotto.engine.AudioCutter;
import dev.sotto.engine.Span;
import dev.sotto.vad.SileroVad;
import dev.sotto.vad.SpeechDetector;
import dev.sotto.vad.SpeechSegment;
import dev.sotto.vad.SpeechWindows;
import dev.sotto.vad.VadOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * Pieces where Silero VAD hears speech: speech segments (faster-whisper's settings: 2 s of
 * silence ends one, 400 ms padding) grouped into windows of at most the piece length.
 * Silence between windows is left out; a window keeps the short pauses inside it.
 */
final class SileroCutter implements AudioCutter {
    private final SileroVad.Stream vad;
    private final SpeechDetector detector;
    private final SpeechWindows windows;
    private long seen;

    SileroCutter(SileroVad vad, long maxSamples) {
        this.vad = vad.newStream();
        VadOptions w = VadOptions.fasterWhisper();
        this.detector = new SpeechDetector(new VadOptions(w.threshold(), w.negThreshold(), w.minSpeechMs(),
                w.minSilenceMs(), w.speechPadMs(), maxSamples / (double) SileroVad.SAMPLE_RATE));
        this.windows = new SpeechWindows(maxSamples);
    }

    static AudioCutter.Factory factory(SileroVad vad) {
        return (maxSamples, grid) -> new SileroCutter(vad, maxSamples);
    }

    @Override
    public void accept(float[] samples, int offset, int length) {
        detector.accept(vad.accept(samples, offset, length));
        seen += length;
        collect();
        windows.advance(detector.openStart());   // no later speech can start before this
    }

    @Override
    public void finish() {
        detector.accept(vad.finish());
        detector.finish(seen);
        collect();
        windows.finish();
    }

    private void collect() {
        for (SpeechSegment s : detector.poll()) windows.add(s);
    }

    @Override
    public List<Span> poll() {
        List<Span> out = new ArrayList<>();
        for (SpeechSegment w : windows.poll()) out.add(new Span(w.start(), w.end()));
        return out;
    }

    @Override
    public long keepFrom() {
        long open = windows.openStart();
        return open >= 0 ? Math.min(open, detector.openStart()) : detector.openStart();
    }
}
