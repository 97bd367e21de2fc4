package dev.sotto.whisper;

import dev.sotto.engine.EngineStream;
import dev.sotto.engine.Result;
import java.util.List;

/**
 * One audio stream decoded by a {@link WhisperEngine}: samples go to its
 * {@link WindowPlanner}, decoded windows come back as segments in its {@link Transcript}.
 * The language is fixed when the stream is created, or detected on its first window.
 * Synchronized: audio may be fed from another thread than the one decoding.
 */
final class WhisperStream implements EngineStream {
    private final WindowPlanner planner;
    private final Transcript transcript;
    private long accepted;
    private boolean detect;             // multilingual model, language "auto", not yet detected
    private int languageToken;          // the language in the prompt (multilingual models)
    private String language;
    private double languageProbability = Double.NaN;

    private final int taskToken;        // transcribe or translate (multilingual models)

    WhisperStream(WindowPlanner planner, Transcript transcript, boolean detect, int languageToken, String language,
                  int taskToken) {
        this.taskToken = taskToken;
        this.planner = planner;
        this.transcript = transcript;
        this.detect = detect;
        this.languageToken = languageToken;
        this.language = language;
    }

    @Override
    public synchronized void acceptWaveform(float[] samples, int offset, int length) {
        planner.accept(samples, offset, length);
        accepted += length;
    }

    @Override
    public synchronized void inputFinished() {
        planner.finish();
    }

    @Override
    public synchronized boolean isReady() {
        return planner.ready();
    }

    @Override
    public synchronized boolean isDone() {
        return planner.done();
    }

    @Override
    public synchronized Result result() {
        return transcript.result(language, languageProbability);
    }

    @Override
    public synchronized double secondsAccepted() {
        return accepted / 16000.0;
    }

    @Override
    public synchronized double secondsDecoded() {
        return planner.secondsDecoded();
    }

    synchronized long bufferedSamples() {
        return planner.bufferedSamples();
    }

    synchronized List<Window> take(int max) {
        return planner.take(max);
    }

    synchronized void complete(Window window, DecodeResult result) {
        planner.complete(window, result, transcript);
    }

    synchronized boolean needsLanguage() {
        return detect;
    }

    int taskToken() {
        return taskToken;
    }

    synchronized int languageToken() {
        return languageToken;
    }

    synchronized void detected(WindowDecoder.Language detected) {
        detect = false;
        languageToken = detected.token();
        language = detected.code();
        languageProbability = detected.probability();
    }
}
