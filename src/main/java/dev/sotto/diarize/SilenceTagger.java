package dev.sotto.diarize;

import dev.sotto.runtime.Runtime;
import dev.sotto.vad.SileroVad;
import dev.sotto.vad.SpeechDetector;
import dev.sotto.vad.SpeechSegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Audio events from Silero VAD alone: every stretch without speech of at least
 * {@code minSilenceSeconds} (before the first speech, between two, after the last) becomes a
 * {@code (silence)} event. Other events (laughter, music, applause) need an audio-tagging
 * model, which is not supported yet. Sessions are independent; the model is shared.
 */
public final class SilenceTagger implements AutoCloseable {
    public static final double DEFAULT_MIN_SILENCE_SECONDS = 2.0;

    private final SileroVad vad;
    private final double minSilenceSeconds;

    private SilenceTagger(SileroVad vad, double minSilenceSeconds) {
        this.vad = vad;
        this.minSilenceSeconds = minSilenceSeconds;
    }

    public static SilenceTagger open(Path vadModel, double minSilenceSeconds, Runtime runtime) {
        if (!(minSilenceSeconds > 0)) throw new IllegalArgumentException("the shortest silence must be positive");
        return new SilenceTagger(SileroVad.open(runtime, vadModel), minSilenceSeconds);
    }

    public static SilenceTagger open(Path vadModel, double minSilenceSeconds) {
        return open(vadModel, minSilenceSeconds, Runtime.create(dev.sotto.runtime.Device.CPU, 1));
    }

    public Session session() {
        return new Session();
    }

    /** The silences of whole audio (16 kHz mono). */
    public List<AudioEvent> silences(float[] samples) {
        Session s = session();
        s.accept(samples, 0, samples.length);
        return s.finish();
    }

    /** One audio stream: samples in as they come, the events at the end. */
    public final class Session {
        private final SileroVad.Stream stream = vad.newStream();
        private final SpeechDetector detector = new SpeechDetector(Diarizer.VAD);
        private final List<SpeechSegment> speech = new ArrayList<>();
        private long total;

        private Session() {
        }

        public void accept(float[] samples, int offset, int length) {
            total += length;
            detector.accept(stream.accept(samples, offset, length));
            speech.addAll(detector.poll());
        }

        public List<AudioEvent> finish() {
            detector.accept(stream.finish());
            detector.finish(total);
            speech.addAll(detector.poll());
            return gaps(speech, total / (double) SileroVad.SAMPLE_RATE, minSilenceSeconds);
        }
    }

    /** The stretches of [0, duration) outside {@code speech} lasting at least {@code min} seconds. */
    static List<AudioEvent> gaps(List<SpeechSegment> speech, double duration, double min) {
        List<AudioEvent> out = new ArrayList<>();
        double from = 0;
        for (SpeechSegment s : speech) {
            if (s.startSeconds() - from >= min) out.add(new AudioEvent(AudioEvent.SILENCE, from, s.startSeconds()));
            from = Math.max(from, s.endSeconds());
        }
        if (duration - from >= min) out.add(new AudioEvent(AudioEvent.SILENCE, from, duration));
        return out;
    }

    @Override
    public void close() {
        vad.close();
    }
}
