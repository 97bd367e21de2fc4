package dev.sotto.whisper;

import dev.sotto.engine.StreamOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sotto.runtime.Device;
import dev.sotto.runtime.Runtime;
import dev.sotto.engine.DecodingConfig;
import dev.sotto.engine.Engine;
import dev.sotto.engine.EngineStream;
import dev.sotto.engine.Result;
import dev.sotto.testing.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** Shared helpers of the Whisper tests: the synthetic models, their audio, and a driver loop. */
final class WhisperTesting {
    static final Runtime RUNTIME = Runtime.create(Device.CPU, 1);

    private WhisperTesting() {
    }

    static Path model(String name) {
        return TestData.testModels().resolve("whisper").resolve(name);
    }

    static Path audio(int nMels, String name) {
        return TestData.testModels().resolve("whisper/whisper-audio/mel" + nMels).resolve(name + ".wav");
    }

    static JsonNode expected(int nMels, String name) {
        try {
            JsonNode all = new ObjectMapper().readTree(
                    TestData.testModels().resolve("whisper/whisper-audio/mel" + nMels + "/expected.json").toFile());
            for (JsonNode c : all) if (c.path("name").asText().equals(name)) return c;
            throw new IllegalArgumentException("no case " + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Result transcribe(Path modelDir, Path wav, DecodingConfig config) {
        try (Engine engine = WhisperEngine.load(modelDir, RUNTIME, config, vadModel(config))) {
            return transcribe(engine, wav, 16000 * 7 + 13);
        }
    }

    static Path vadModel(DecodingConfig config) {
        return config.vad() ? TestData.shared().resolve("models/silero-vad/silero_vad_v5.onnx") : null;
    }

    /** Feeds a file in blocks, decoding whenever the stream is ready, as the recognizer would. */
    static Result transcribe(Engine engine, Path wav, int block) {
        float[] samples;
        try {
            samples = TestData.readWav(wav).samples();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        EngineStream stream = engine.newStream(StreamOptions.DEFAULT);
        for (int pos = 0; pos < samples.length; pos += block) {
            stream.acceptWaveform(samples, pos, Math.min(block, samples.length - pos));
            while (stream.isReady()) engine.decode(List.of(stream));
        }
        stream.inputFinished();
        while (!stream.isDone()) {
            if (!stream.isReady()) throw new IllegalStateException("stream neither ready nor done");
            engine.decode(List.of(stream));
        }
        return stream.result();
    }

    static String describe(Result r) {
        StringBuilder sb = new StringBuilder("language=" + r.language() + " p=" + r.languageProbability() + "\n");
        r.segments().forEach(s -> sb.append(String.format("  [%.2f -> %.2f] %s  (seek %d, t %.1f, avg %.4f, cr %.2f, ns %.4f)%n",
                s.start(), s.end(), s.text(), s.scores().seek(), s.scores().temperature(), s.scores().avgLogprob(),
                s.scores().compressionRatio(), s.scores().noSpeechProb())));
        return sb.toString();
    }
}
