package dev.sotto.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sotto.decode.Emission;
import dev.sotto.decode.FrameSearch;
import dev.sotto.decode.PredictorState;
import dev.sotto.decode.SearchState;
import dev.sotto.decode.Vocabulary;
import dev.sotto.runtime.Device;
import dev.sotto.runtime.Runtime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline engine around a stand-in model whose "encoder" reports what it was given:
 * pieces are sorted by length and packed a batch per encoder call, cut pieces start on the
 * encoder's frame grid, and each piece's tokens land at its place in the stream.
 */
class OfflineEngineTest {
    static final int GRID = 1280;

    /** One output frame per piece holding the piece's length; records each call's lengths. */
    static final class Recorder implements OfflineEncoder {
        final List<List<Integer>> calls = new ArrayList<>();

        @Override
        public float[][] features(float[] samples) {
            return new float[][] {{samples.length}};
        }

        @Override
        public int frameSamples() {
            return GRID;
        }

        @Override
        public int maxBatch() {
            return Integer.MAX_VALUE;
        }

        @Override
        public float[][][] encode(List<float[][]> features) {
            calls.add(features.stream().map(f -> (int) f[0][0]).toList());
            float[][][] out = new float[features.size()][][];
            for (int i = 0; i < out.length; i++) out[i] = new float[][] {features.get(i)[0], {0}, {0}};
            return out;
        }

        @Override
        public void close() {
        }
    }

    /** Emits token 1 on each piece's third frame. */
    static final class ThirdFrame implements FrameSearch {
        @Override
        public SearchState start() {
            List<Emission> tokens = new ArrayList<>();
            return new SearchState() {
                @Override
                public List<Emission> tokens() {
                    return tokens;
                }

                @Override
                public int trailingBlanks() {
                    return 0;
                }

                @Override
                public void commit() {
                }

                @Override
                public void restart(PredictorState initial) {
                }
            };
        }

        @Override
        public void search(List<SearchState> states, List<float[][]> frames, long[] firstFrame) {
            for (SearchState s : states) s.tokens().add(new Emission(1, 2, 1));
        }
    }

    static Engine engine(Path dir, Recorder encoder, int batch, AudioCutter.Factory cutters) throws IOException {
        Files.writeString(dir.resolve("tokens.txt"), "<unk> 0\n\u2581hi 1\n<blk> 2\n");
        OfflineModel model = new OfflineModel("test", dir, encoder, new ThirdFrame(), Vocabulary.load(dir.resolve("tokens.txt")),
                Map.of(), List.of());
        LoadRequest request = new LoadRequest(dir, dir, 0, null, DecodingConfig.builder().batchSize(batch).build(),
                EndpointConfig.DEFAULT, Runtime.create(Device.CPU, 1));
        return OfflineEngine.create(model, "test", request, List.of(), cutters);
    }

    static EngineStream stream(Engine engine, int samples) {
        EngineStream s = engine.newStream(StreamOptions.DEFAULT);
        s.acceptWaveform(new float[samples], 0, samples);
        s.inputFinished();
        return s;
    }

    @Test
    void piecesAreSortedByLengthAndPackedABatchPerEncoderCall(@TempDir Path dir) throws IOException {
        Recorder encoder = new Recorder();
        try (Engine engine = engine(dir, encoder, 2, EnergyCutter.factory())) {
            List<EngineStream> streams = List.of(stream(engine, 16000), stream(engine, 48000), stream(engine, 8000),
                    stream(engine, 32000), stream(engine, 4000));
            engine.decode(streams);
            assertEquals(List.of(List.of(48000, 32000), List.of(16000, 8000), List.of(4000)), encoder.calls);
            for (EngineStream s : streams) {
                assertTrue(s.isDone());
                Result r = s.result();
                assertEquals("hi", r.text());
                assertEquals(2 * 0.08, r.tokens().get(0).start(), 1e-12, "frame 2 of a piece at 0");
                assertEquals(0.08, r.tokens().get(0).duration(), 1e-12);
            }
        }
    }

    @Test
    void aStreamWaitsForAFullBatchOfPiecesOrItsEnd(@TempDir Path dir) throws IOException {
        Recorder encoder = new Recorder();
        // pieces of 1 s every 2 s, cut by a cutter that knows them in advance
        AudioCutter.Factory everyTwoSeconds = (max, grid) -> new AudioCutter() {
            long seen;
            final List<Span> ready = new ArrayList<>();

            @Override
            public void accept(float[] samples, int offset, int length) {
                for (long at = seen / 32000 * 32000 + 32000; at <= seen + length; at += 32000) {
                    ready.add(new Span(at - 32000 + 700, at - 16000));
                }
                seen += length;
            }

            @Override
            public void finish() {
            }

            @Override
            public List<Span> poll() {
                List<Span> out = List.copyOf(ready);
                ready.clear();
                return out;
            }

            @Override
            public long keepFrom() {
                return seen / 32000 * 32000;
            }
        };
        try (Engine engine = engine(dir, encoder, 3, everyTwoSeconds)) {
            EngineStream s = engine.newStream(StreamOptions.DEFAULT);
            float[] second = new float[16000];
            for (int i = 0; i < 31; i++) s.acceptWaveform(second, 0, second.length);   // 31 s: the cutter starts
            assertTrue(s.isReady(), "15 pieces of 1 s: five full batches");
            for (int i = 0; i < 3; i++) s.acceptWaveform(second, 0, second.length);
            engine.decode(List.of(s));
            assertEquals(List.of(3, 3, 3, 3, 3, 2), encoder.calls.stream().map(List::size).toList(), "17 pieces");
            assertFalse(s.isReady());
            s.inputFinished();
            assertFalse(s.isReady(), "nothing left");
            Result r = s.result();
            assertEquals(17, r.segments().size());
            for (int k = 0; k < 17; k++) {
                // each piece starts on the 80 ms grid at or before its cut: 2 k s + 700 samples -> 2 k s
                assertEquals(2.0 * k + 0.16, r.tokens().get(k).start(), 1e-12, "piece " + k);
                assertEquals(16000, encoder.calls.get(k / 3).get(k % 3), "1 s from the grid point on");
            }
        }
    }
}
