package dev.sotto.nemo;

import dev.sotto.engine.Engine;
import dev.sotto.engine.Features;
import dev.sotto.engine.LoadRequest;
import dev.sotto.engine.ModelFamily;
import dev.sotto.engine.TransducerEngine;
import dev.sotto.features.NemoMel;
import dev.sotto.SottoException;
import dev.sotto.runtime.Device;
import dev.sotto.runtime.OnnxModel;
import dev.sotto.runtime.Runtime;
import dev.sotto.runtime.OnnxMetadata;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** NeMo cache-aware streaming transducers and CTC models: one export, or a directory of exports at several chunk sizes. */
public final class NemoLoader implements ModelFamily {
    @Override
    public boolean recognises(Path dir) {
        return NemoFamily.isFamily(dir) || NemoModel.looksLikeNemo(dir);
    }

    @Override
    public Engine load(LoadRequest request) {
        Path dir = request.directory();
        String name = request.name();
        if (NemoFamily.isFamily(dir)) {
            dir = NemoFamily.select(dir, request.chunkMs(), request.acceleration());
            name += "/" + dir.getFileName();
        } else {
            NemoFamily.checkSingle(dir, request.chunkMs(), request.acceleration());
        }
        if (NemoModel.isCtc(dir)) return TransducerEngine.create(NemoModel.loadCtc(dir, request.runtime()), name, request);
        return TransducerEngine.create(NemoModel.load(dir, request.runtime()), name, request);
    }

    @Override
    public Features features(Path dir) {
        if (NemoFamily.isFamily(dir)) dir = NemoFamily.select(dir, 0, null);
        Path main = NemoModel.mainFile(dir);
        Map<String, String> meta = OnnxMetadata.read(main);
        int dim = meta.containsKey("feat_dim") ? Integer.parseInt(meta.get("feat_dim").trim()) : declaredFeatDim(main);
        boolean perFeature = meta.getOrDefault("normalize_type", "").equals("per_feature");
        return Features.streaming(new NemoMel(dim), perFeature, "NeMo log-mel, " + dim + " bins"
                + (perFeature ? ", per_feature normalised" : ", not normalised"));
    }

    /** audio_signal's mel bins, for exports without feat_dim metadata (sherpa-onnx's CTC exports). */
    private static int declaredFeatDim(Path file) {
        try (OnnxModel model = Runtime.create(Device.CPU, 1).open(file)) {
            long dim = model.inputs().get(0).dim(1);
            if (dim < 0) throw new SottoException(file + ": neither feat_dim metadata nor a fixed audio_signal dimension");
            return (int) dim;
        }
    }

    @Override
    public List<Integer> chunkSizes(Path dir) {
        if (NemoFamily.isFamily(dir)) return List.copyOf(NemoFamily.exports(dir).keySet());
        return List.of(NemoFamily.chunkMs(dir));
    }
}
