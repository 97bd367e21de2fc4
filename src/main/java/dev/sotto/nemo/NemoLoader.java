package dev.sotto.nemo;

import dev.sotto.engine.Engine;
import dev.sotto.engine.Features;
import dev.sotto.engine.LoadRequest;
import dev.sotto.engine.ModelFamily;
import dev.sotto.engine.TransducerEngine;
import dev.sotto.features.NemoMel;
import dev.sotto.runtime.ModelFiles;
import dev.sotto.runtime.OnnxMetadata;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** NeMo cache-aware streaming transducers: one export, or a directory of exports at several chunk sizes. */
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
        return TransducerEngine.create(NemoModel.load(dir, request.runtime()), name, request);
    }

    @Override
    public Features features(Path dir) {
        if (NemoFamily.isFamily(dir)) dir = NemoFamily.select(dir, 0, null);
        Map<String, String> meta = OnnxMetadata.read(ModelFiles.any(dir, "encoder"));
        int dim = Integer.parseInt(meta.getOrDefault("feat_dim", "80").trim());
        boolean perFeature = meta.getOrDefault("normalize_type", "").equals("per_feature");
        return Features.streaming(new NemoMel(dim), perFeature, "NeMo log-mel, " + dim + " bins"
                + (perFeature ? ", per_feature normalised" : ", not normalised"));
    }

    @Override
    public List<Integer> chunkSizes(Path dir) {
        if (NemoFamily.isFamily(dir)) return List.copyOf(NemoFamily.exports(dir).keySet());
        return List.of(NemoFamily.chunkMs(dir));
    }
}
