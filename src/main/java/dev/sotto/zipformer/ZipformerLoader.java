package dev.sotto.zipformer;

import dev.sotto.engine.Engine;
import dev.sotto.engine.Features;
import dev.sotto.engine.LoadRequest;
import dev.sotto.engine.ModelFamily;
import dev.sotto.engine.TransducerEngine;
import java.nio.file.Path;

/** sherpa-onnx / icefall streaming Zipformer2 transducers. */
public final class ZipformerLoader implements ModelFamily {
    @Override
    public boolean recognises(Path dir) {
        return ZipformerModel.looksLikeZipformer(dir);
    }

    @Override
    public Engine load(LoadRequest request) {
        return TransducerEngine.create(ZipformerModel.load(request.directory(), request.runtime()), request.name(), request);
    }

    @Override
    public Features features(Path dir) {
        return Features.streaming(ZipformerModel.frontEnd(), false, "Kaldi fbank as sherpa-onnx computes it, 80 bins");
    }
}
