package dev.sotto.diarize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sotto.SottoException;
import dev.sotto.features.KaldiFbank;
import dev.sotto.runtime.Device;
import dev.sotto.runtime.Runtime;
import dev.sotto.testing.TestData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The three sherpa-onnx speaker-model layouts, with synthetic models (models/synth_speaker.py)
 * whose embedding is W · (per-bin maximum of the features): each must be fed the features its
 * metadata asks for, and the whole pipeline must run on them.
 */
class OnnxSpeakerEmbeddingTest {
    static final Runtime CPU = Runtime.create(Device.CPU, 1);
    static final int FEAT = 80;
    static final int DIM = 16;

    static Path model(String name) {
        return TestData.testModels().resolve("speaker").resolve(name);
    }

    static float[] speech() throws Exception {
        return TestData.readWav(TestData.shared().resolve("audio/en/jfk.wav")).samples();
    }

    /** What the synthetic model computes, from the features the engine made. */
    static float[] expected(float[][] feats) {
        float[] out = new float[DIM];
        for (int m = 0; m < FEAT; m++) {
            float peak = Float.NEGATIVE_INFINITY;
            for (float[] f : feats) peak = Math.max(peak, f[m]);
            for (int d = 0; d < DIM; d++) out[d] += (float) Math.sin(0.37 * (d * FEAT + m) + 0.5) * peak;
        }
        return out;
    }

    @Test
    void eachLayoutGetsTheFeaturesItsMetadataAsksFor() throws Exception {
        float[] x = speech();
        int from = 16000;
        int to = 16000 + 24000;
        for (String name : new String[] {"3dspeaker-campplus", "wespeaker-resnet34", "nemo-titanet-small"}) {
            try (OnnxSpeakerEmbedding e = OnnxSpeakerEmbedding.open(CPU, model(name))) {
                assertEquals(DIM, e.dimension(), name);
                float[][] feats = e.features(x, from, to);
                assertArrayEquals(expected(feats), e.embed(x, from, to), 1e-3f, name);
                if (name.startsWith("nemo")) {
                    double mean = 0;
                    for (float[] f : feats) mean += f[3];
                    assertEquals(0, mean / feats.length, 1e-3, "per_feature: each bin has mean 0");
                    assertEquals(151, feats.length, "NeMo's centred frames: 24000 / 160 + 1");
                } else if (name.startsWith("3dspeaker")) {
                    double mean = 0;
                    for (float[] f : feats) mean += f[10];
                    assertEquals(0, mean / feats.length, 1e-3, "global-mean: each bin has mean 0");
                } else {
                    // normalize_samples=0: samples scaled to 16-bit range, so log-mel + ln(32768^2), no normalisation.
                    KaldiFbank plain = new KaldiFbank(KaldiFbank.Options.sherpaOnnx(FEAT));
                    plain.accept(x, from, to - from);
                    plain.finish();
                    float[] frame = new float[FEAT];
                    plain.copyFrames(20, 1, frame, 0);
                    assertEquals(frame[30] + 2 * Math.log(32768), feats[20][30], 1e-2, "wespeaker scales the samples");
                }
            }
        }
    }

    @Test
    void theWholePipelineRunsOnEachLayout() throws Exception {
        float[] x = TestData.readWav(TestData.shared().resolve("audio/special/three-speakers.wav")).samples();
        for (String name : new String[] {"3dspeaker-campplus", "wespeaker-resnet34", "nemo-titanet-small"}) {
            DiarizationConfig config = DiarizationConfig.builder().vadModel(DiarizerSharedAudioTest.VAD)
                    .speakerModel(model(name)).numSpeakers(3).build();
            try (Diarizer d = Diarizer.open(config)) {
                Diarization result = d.diarize(x);
                assertTrue(d.embeddingName().contains("model.onnx"), d.embeddingName());
                assertTrue(result.speakers() >= 1 && result.speakers() <= 3, name + ": " + result.turns());
                for (SpeakerTurn t : result.turns()) assertTrue(t.start() >= 0 && t.end() <= 19.83 && t.end() > t.start(), t.toString());
                // Loud speech in each of the three reference turns (1.7-3.8, 6.2-11.1, 12.8-19.3) is in some turn.
                for (double at : new double[] {2.5, 8.0, 13.3, 17.0}) {
                    assertTrue(result.turns().stream().anyMatch(t -> t.start() <= at && at <= t.end()), name + " at " + at);
                }
            }
        }
    }

    @Test
    void aModelThatIsNotASpeakerModelIsRefusedClearly() {
        Path asr = TestData.testModels().resolve("nemotron-en");
        SottoException e = assertThrows(SottoException.class, () -> OnnxSpeakerEmbedding.open(CPU, DiarizerSharedAudioTest.VAD));
        assertTrue(e.getMessage().contains("framework"), e.getMessage());
        SottoException dir = assertThrows(SottoException.class, () -> OnnxSpeakerEmbedding.open(CPU, asr));
        assertTrue(dir.getMessage().contains("expected one speaker-embedding .onnx file"), dir.getMessage());
    }
}
