package dev.sotto.whisper;

import dev.sotto.SottoException;
import dev.sotto.engine.Engine;
import dev.sotto.engine.Features;
import dev.sotto.engine.LoadRequest;
import dev.sotto.engine.ModelFamily;
import java.nio.file.Path;

/** OpenAI Whisper in the sherpa-onnx and Hugging Face ONNX layouts. */
public final class WhisperLoader implements ModelFamily {
    @Override
    public boolean recognises(Path dir) {
        return WhisperEngine.looksLikeWhisper(dir);
    }

    @Override
    public Engine load(LoadRequest request) {
        if (request.chunkAsked()) {
            throw new SottoException(request.userPath() + " is a Whisper model: it decodes 30 s windows, so --chunk-ms and "
                    + "--acceleration do not apply (they choose a streaming model's chunk size)");
        }
        return WhisperEngine.load(request.directory(), request.runtime(), request.decoding());
    }

    @Override
    public Features features(Path dir) {
        return Features.whisper(WhisperEngine.melBins(dir));
    }
}
