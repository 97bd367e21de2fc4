package dev.sotto.cli;

import dev.sotto.audio.AudioDecoder;
import dev.sotto.stream.RecognitionStream;
import dev.sotto.stream.Recognizer;
import dev.sotto.stream.Result;
import java.util.function.Consumer;

/** The loop every command runs: audio → one stream → decode as chunks become ready → final result. */
final class Decoding {
    /** The final result, the seconds of audio it covers, and the wall time it took. */
    record Outcome(Result result, double audioSeconds, double wallSeconds) {
    }

    private Decoding() {
    }

    /** {@code onStep} runs after every decoding step (for progress bars and partial results). */
    static Outcome run(Recognizer recognizer, AudioDecoder audio, Consumer<RecognitionStream> onStep) {
        long start = System.nanoTime();
        try (RecognitionStream s = recognizer.createStream()) {
            float[] buffer = new float[AudioDecoder.SAMPLE_RATE / 10];
            for (int n; (n = audio.read(buffer, 0, buffer.length)) > 0; ) {
                s.acceptWaveform(buffer, 0, n);
                drain(recognizer, s, onStep);
            }
            s.inputFinished();
            drain(recognizer, s, onStep);
            return new Outcome(recognizer.getResult(s), s.secondsAccepted(), (System.nanoTime() - start) / 1e9);
        }
    }

    private static void drain(Recognizer recognizer, RecognitionStream s, Consumer<RecognitionStream> onStep) {
        while (recognizer.isReady(s)) {
            recognizer.decode(s);
            onStep.accept(s);
        }
    }
}
