package dev.sotto.zipformer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sotto.audio.AudioDecoder;
import dev.sotto.engine.DecodingConfig;
import dev.sotto.recognizer.ExecutionConfig;
import dev.sotto.recognizer.ModelConfig;
import dev.sotto.recognizer.RecognitionStream;
import dev.sotto.recognizer.Recognizer;
import dev.sotto.recognizer.RecognizerConfig;
import dev.sotto.engine.Result;
import dev.sotto.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The real streaming Zipformer in ../shared (sherpa-onnx-kws-zipformer-gigaspeech-3.3M,
 * repaired int8 encoder), its test clips, and what sherpa-onnx 1.13.4 made of them.
 */
final class SharedZipformer {
    private SharedZipformer() {
    }

    static Path modelDir() {
        return TestData.shared().resolve("models/zipformer-gigaspeech-3.3m");
    }

    /** On the CPU with one thread, as the sherpa-onnx reference ran; beam 1 is greedy search. */
    static Recognizer recognizer(int beam) {
        return recognizer(modelDir(), beam);
    }

    static Recognizer recognizer(Path dir, int beam) {
        return Recognizer.create(RecognizerConfig.builder(ModelConfig.builder(dir).build())
                .execution(ExecutionConfig.builder().device("cpu").threads(1).build())
                .decoding(DecodingConfig.builder().beamSize(beam).build())
                .build());
    }

    /**
     * A clip of ../shared/audio at 16 kHz, rounded to 16 bits: the reference converted every
     * file to a 16 kHz 16-bit WAV with ffmpeg before decoding it.
     */
    static float[] audio(String path) {
        try (AudioDecoder in = AudioDecoder.open(TestData.shared().resolve("audio").resolve(path))) {
            float[] samples = new float[16000 * 60];
            int n = 0;
            for (int k; (k = in.read(samples, n, samples.length - n)) > 0; ) {
                n += k;
                if (n == samples.length) samples = Arrays.copyOf(samples, n * 2);
            }
            samples = Arrays.copyOf(samples, n);
            for (int i = 0; i < n; i++) samples[i] = Math.max(-32768, Math.min(32767, Math.round(samples[i] * 32768))) / 32768f;
            return samples;
        }
    }

    /** Feeds the samples in pieces of {@code piece}, decoding whenever a chunk is ready, then finishes. */
    static Result transcribe(Recognizer recognizer, float[] samples, int piece) {
        try (RecognitionStream stream = recognizer.createStream()) {
            for (int at = 0; at < samples.length; at += piece) {
                stream.acceptWaveform(samples, at, Math.min(piece, samples.length - at));
                while (recognizer.isReady(stream)) recognizer.decode(stream);
            }
            stream.inputFinished();
            while (recognizer.isReady(stream)) recognizer.decode(stream);
            return recognizer.getResult(stream);
        }
    }

    /** One line of sherpa-onnx-zipformer-outputs.jsonl. */
    record Reference(String path, String text, List<String> tokens, List<Double> times) {
    }

    static List<Reference> references() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Reference> out = new ArrayList<>();
        for (String line : Files.readAllLines(TestData.shared().resolve("reference/sherpa-onnx-zipformer-outputs.jsonl"))) {
            if (line.isBlank()) continue;
            JsonNode node = json.readTree(line);
            List<String> tokens = new ArrayList<>();
            node.get("tokens").forEach(t -> tokens.add(t.asText()));
            List<Double> times = new ArrayList<>();
            node.get("timestamps").forEach(t -> times.add(t.asDouble()));
            out.add(new Reference(node.get("path").asText(), node.get("text").asText(), tokens, times));
        }
        return out;
    }
}
