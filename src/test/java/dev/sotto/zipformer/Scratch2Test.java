package dev.sotto.zipformer;

import dev.sotto.decode.*;
import dev.sotto.features.FrontEnd;
import dev.sotto.runtime.*;
import dev.sotto.runtime.Runtime;
import dev.sotto.stream.*;
import dev.sotto.testing.TestData;
import java.util.*;
import org.junit.jupiter.api.Test;

class Scratch2Test {
    @Test
    void run() throws Exception {
        Runtime rt = Runtime.create(Device.CPU, 1);
        StreamingTransducer m = ZipformerModel.load(TestData.shared().resolve("models/zipformer-gigaspeech-3.3m"), rt);
        int lead = Integer.parseInt(Objects.requireNonNullElse(System.getenv("LEAD"), "8000"));
        String f = Objects.requireNonNullElse(System.getenv("FILE"), "en/jfk.wav");
        float[] x0 = TestData.readWav16(TestData.shared().resolve("audio/" + f));
        float[] x = new float[x0.length + lead];
        System.arraycopy(x0, 0, x, lead, x0.length);
        StreamingEncoder enc = m.encoder();
        FrontEnd fe = enc.newFrontEnd();
        fe.accept(x, 0, x.length);
        int tail = enc.tailPaddingSamples();
        fe.accept(new float[tail], 0, tail);
        fe.finish();
        var st = enc.initialState("auto");
        TransducerModel tm = m.transducer();
        PredictorState ps = tm.initialState();
        int frame = 0;
        for (int start = 0; start + enc.windowFrames() <= fe.framesReady(); start += enc.shiftFrames()) {
            float[] w = new float[enc.windowFrames() * enc.featureDim()];
            fe.copyFrames(start, enc.windowFrames(), w, 0);
            float[][] out = enc.encode(List.of(w), List.of(st))[0];
            for (float[] e : out) {
                float[] l = tm.joint(List.of(e), List.of(ps))[0];
                int best = 0, second = -1;
                for (int i = 1; i < l.length; i++) if (l[i] > l[best]) best = i;
                for (int i = 0; i < l.length; i++) if (i != best && (second < 0 || l[i] > l[second])) second = i;
                String mark = best != 0 ? m.vocabulary().piece(best) : "";
                System.out.printf("%3d %.2f best %-10s second %-10s margin %.4f%n", frame, frame * 0.04, m.vocabulary().piece(best), m.vocabulary().piece(second), l[best] - l[second]);
                if (best != 0) ps = tm.advance(List.of(ps), new int[]{best}).get(0);
                frame++;
            }
        }
    }
}
