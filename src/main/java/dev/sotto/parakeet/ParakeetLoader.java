package dev.sotto.parakeet;

import dev.sotto.SottoException;
import dev.sotto.engine.AudioCutter;
import dev.sotto.engine.DecodingConfig;
import dev.sotto.engine.EnergyCutter;
import dev.sotto.engine.Engine;
import dev.sotto.engine.Features;
import dev.sotto.engine.LoadRequest;
import dev.sotto.engine.ModelFamily;
import dev.sotto.engine.OfflineEngine;
import dev.sotto.engine.OfflineModel;
import dev.sotto.runtime.ModelFiles;
import dev.sotto.runtime.Device;
import dev.sotto.runtime.OnnxMetadata;
import dev.sotto.runtime.OnnxModel;
import dev.sotto.runtime.Runtime;
import dev.sotto.vad.SileroVad;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * NeMo's offline models (Parakeet TDT / RNN-T / CTC, hybrid models' CTC head), decoded in
 * pieces of at most 30 s by the shared offline engine. Long inputs are cut where Silero
 * VAD hears pauses (the model named by {@code --vad-model}, {@code SOTTO_VAD_MODEL}, or a
 * {@code silero_vad*.onnx} beside the model); with none at hand, at the quietest moments.
 */
public final class ParakeetLoader implements ModelFamily {
    private static final Logger LOG = Logger.getLogger(ParakeetLoader.class.getName());

    @Override
    public boolean recognises(Path dir) {
        return ParakeetModel.detect(dir) != null;
    }

    @Override
    public Engine load(LoadRequest request) {
        DecodingConfig decoding = request.decoding();
        Path vadFile = decoding.vadModel() != null ? decoding.vadModel() : SileroVad.find(request.directory());
        if (decoding.vad() && vadFile == null) {
            throw new SottoException("VAD mode needs a Silero VAD model: pass --vad-model FILE (silero_vad v5 or v6), put "
                    + "silero_vad.onnx in " + request.userPath() + " or its parent folder, or set SOTTO_VAD_MODEL");
        }
        OfflineModel model = ParakeetModel.load(request.directory(), request.runtime(), decoding.beamSize());
        SileroVad vad = null;
        try {
            vad = vadFile == null ? null : SileroVad.open(request.runtime(), vadFile);
            AudioCutter.Factory cutters = vad == null ? quietest(request.name()) : SileroCutter.factory(vad);
            List<AutoCloseable> resources = new ArrayList<>(model.resources());
            if (vad != null) resources.add(vad);
            OfflineModel withVad = new OfflineModel(model.family(), model.directory(), model.encoder(), model.search(),
                    model.vocabulary(), model.languageTags(), resources);
            List<String> languages = List.copyOf(new TreeSet<>(model.languageTags().values()));
            return OfflineEngine.create(withVad, request.name(), request, languages, cutters);
        } catch (RuntimeException e) {
            if (vad != null) vad.close();
            close(model);
            throw e;
        }
    }

    private static void close(OfflineModel model) {
        model.encoder().close();
        for (AutoCloseable r : model.resources()) {
            try {
                r.close();
            } catch (Exception ignored) {
                // already failing; the first error is the one to report
            }
        }
    }

    /** The fallback cutter, saying once why pauses are not found by voice activity. */
    private static AudioCutter.Factory quietest(String name) {
        AudioCutter.Factory energy = EnergyCutter.factory();
        AtomicBoolean warned = new AtomicBoolean();
        return (maxSamples, grid) -> {
            if (!warned.getAndSet(true)) {
                LOG.warning(name + ": no Silero VAD model found, so inputs longer than 30 s are cut at their quietest "
                        + "moments. Pass --vad-model FILE (or set SOTTO_VAD_MODEL) to cut them at speech pauses");
            }
            return energy.create(maxSamples, grid);
        };
    }

    @Override
    public Features features(Path dir) {
        ParakeetModel.Head head = ParakeetModel.detect(dir);
        Path file = ModelFiles.any(dir, head == ParakeetModel.Head.CTC ? "model" : "encoder");
        Map<String, String> meta = OnnxMetadata.read(file);
        int dim = meta.containsKey("feat_dim") ? Integer.parseInt(meta.get("feat_dim").trim()) : declaredFeatDim(file);
        MelFeatures mel = MelFeatures.of(meta, file, dim);
        return Features.whole(dim, mel::features, mel.description());
    }

    /** audio_signal's mel bins, for exports without feat_dim metadata (sherpa-onnx's CTC exports). */
    private static int declaredFeatDim(Path file) {
        try (OnnxModel model = Runtime.create(Device.CPU, 1).open(file)) {
            long dim = model.inputs().get(0).dim(1);
            if (dim < 0) throw new SottoException(file + ": neither feat_dim metadata nor a fixed audio_signal dimension");
            return (int) dim;
        }
    }
}
