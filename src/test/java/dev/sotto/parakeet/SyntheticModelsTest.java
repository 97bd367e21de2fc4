package dev.sotto.parakeet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import dev.sotto.decode.Emission;
import dev.sotto.decode.FrameSearch;
import dev.sotto.decode.GreedySearch;
import dev.sotto.decode.PredictorState;
import dev.sotto.decode.SearchState;
import dev.sotto.decode.TdtGreedySearch;
import dev.sotto.decode.TransducerModel;
import dev.sotto.decode.Vocabulary;
import dev.sotto.engine.LstmTransducer;
import dev.sotto.runtime.Device;
import dev.sotto.runtime.OnnxModel;
import dev.sotto.runtime.Runtime;
import dev.sotto.runtime.Tensors;
import dev.sotto.testing.ParakeetSpeech;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Guards the synthetic offline models themselves: each thing an engine could get wrong
 * must change their output, or the exact-transcript tests would not prove the engine gets
 * it right. Without per_feature normalisation, with TDT durations ignored, without the
 * decoder state fed back, with a wrong {@code length} in a batch or with padded frames
 * kept, the transcript is wrong.
 */
class SyntheticModelsTest {
    static final Path V2 = ParakeetSpeech.models().resolve("parakeet-tdt-v2");
    static Runtime runtime;
    static Encoder encoder;
    static LstmTransducer transducer;
    static Vocabulary vocabulary;

    @BeforeAll
    static void load() {
        runtime = Runtime.create(Device.CPU, 1);
        encoder = Encoder.transducer(runtime.open(V2.resolve("encoder.onnx")));
        transducer = new LstmTransducer(runtime.open(V2.resolve("decoder.onnx")), runtime.open(V2.resolve("joiner.onnx")),
                1024, 2, 16, null);
        vocabulary = Vocabulary.load(V2.resolve("tokens.txt"));
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    static String text(FrameSearch search, float[][] frames) {
        SearchState state = search.start();
        search.search(List.of(state), List.<float[][]>of(frames), new long[1]);
        List<Integer> ids = state.tokens().stream().map(Emission::token).toList();
        return vocabulary.detokenize(ids);
    }

    static String tdt(float[][] frames) {
        return text(FrameSearch.of(new TdtGreedySearch(), transducer), frames);
    }

    static float[][] encode(float[][] features) {
        return encoder.encode(List.<float[][]>of(features))[0];
    }

    @Test
    void theCorrectPathDecodes() {
        ParakeetSpeech speech = ParakeetSpeech.named("en-hello");
        assertEquals(speech.expected("tdt").text(), tdt(encode(encoder.features(speech.samples()))));
        assertEquals("[0, 1, 2, 3, 4]", Arrays.toString(transducer.durations()), "durations read off the joint's width");
    }

    @Test
    void withoutPerFeatureNormalisationNothingDecodes() {
        ParakeetSpeech speech = ParakeetSpeech.named("en-fox");
        float[][] raw = new MelFeatures(128, MelFeatures.Normalization.NONE).features(speech.samples());
        assertNotEquals(speech.expected("tdt").text(), tdt(encode(raw)));
    }

    @Test
    void ignoringDurationsRepeatsTokens() {
        ParakeetSpeech speech = ParakeetSpeech.named("en-fox");
        String decoded = text(FrameSearch.of(new GreedySearch(), new TokensOnly(transducer)),
                encode(encoder.features(speech.samples())));
        assertNotEquals(speech.expected("tdt").text(), decoded);
    }

    @Test
    void withoutTheDecoderStateFedBackTheTextIsWrong() {
        ParakeetSpeech speech = ParakeetSpeech.named("en-repeats");
        String decoded = text(FrameSearch.of(new TdtGreedySearch(), new Forgetful(transducer)),
                encode(encoder.features(speech.samples())));
        assertNotEquals(speech.expected("tdt").text(), decoded);
    }

    @Test
    void aWrongLengthOrKeptPaddingInABatchShows() throws Exception {
        float[][] longer = encoder.features(ParakeetSpeech.named("en-fox").samples());
        float[][] shorter = encoder.features(ParakeetSpeech.named("en-short").samples());
        String expected = ParakeetSpeech.named("en-short").expected("tdt").text();
        Batch batch = Batch.of(List.of(longer, shorter), 128);
        try (OnnxModel model = runtime.open(V2.resolve("encoder.onnx"))) {
            float[][] rightLengthAllFrames = run(model, batch, batch.lengths());
            float[][] padded = run(model, batch, new long[] {batch.frames(), batch.frames()});
            assertTrue(tdt(rightLengthAllFrames).contains("JUNK"), "padded frames kept: " + tdt(rightLengthAllFrames));
            assertTrue(tdt(padded).contains("JUNK"), "wrong length: " + tdt(padded));
            assertTrue(tdt(padded).startsWith(expected));
        }
        assertEquals(expected, tdt(encoder.encode(List.of(longer, shorter))[1]), "the engine's own batching");
    }

    /** Runs the encoder on the batch with the given lengths; the second piece's frames, all of them. */
    private static float[][] run(OnnxModel model, Batch batch, long[] lengths) throws Exception {
        try (OnnxTensor signal = batch.signalTensor(); OnnxTensor length = Tensors.longs(lengths, lengths.length);
             OrtSession.Result r = model.run(signal, length)) {
            float[] data = Tensors.toFloats(r.get(0));
            long[] shape = Tensors.shape(r.get(0));
            int d = (int) shape[1];
            int n = (int) shape[2];
            float[][] out = new float[n][d];
            for (int t = 0; t < n; t++) for (int k = 0; k < d; k++) out[t][k] = data[d * n + k * n + t];
            return out;
        }
    }

    /** The joint's token logits only: a decoder that knows nothing of durations. */
    private record TokensOnly(LstmTransducer model) implements TransducerModel {
        @Override
        public int blankId() {
            return model.blankId();
        }

        @Override
        public int vocabSize() {
            return model.vocabSize();
        }

        @Override
        public int maxSymbolsPerFrame() {
            return model.maxSymbolsPerFrame();
        }

        @Override
        public PredictorState initialState() {
            return model.initialState();
        }

        @Override
        public List<PredictorState> advance(List<PredictorState> states, int[] tokens) {
            return model.advance(states, tokens);
        }

        @Override
        public float[][] joint(List<float[]> encoderFrames, List<PredictorState> states) {
            float[][] rows = model.joint(encoderFrames, states);
            for (int i = 0; i < rows.length; i++) rows[i] = Arrays.copyOf(rows[i], model.vocabSize());
            return rows;
        }
    }

    /** A prediction network that never remembers a token. */
    private record Forgetful(LstmTransducer model) implements TransducerModel {
        @Override
        public int blankId() {
            return model.blankId();
        }

        @Override
        public int vocabSize() {
            return model.vocabSize();
        }

        @Override
        public int maxSymbolsPerFrame() {
            return model.maxSymbolsPerFrame();
        }

        @Override
        public int[] durations() {
            return model.durations();
        }

        @Override
        public PredictorState initialState() {
            return model.initialState();
        }

        @Override
        public List<PredictorState> advance(List<PredictorState> states, int[] tokens) {
            List<PredictorState> out = new ArrayList<>();
            for (int i = 0; i < tokens.length; i++) out.add(model.initialState());
            return out;
        }

        @Override
        public float[][] joint(List<float[]> encoderFrames, List<PredictorState> states) {
            return model.joint(encoderFrames, states);
        }
    }
}
