package dev.sotto.server.core;

import dev.sotto.recognizer.ExecutionConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * The models a server loaded and the names clients call them by: each model's directory
 * name, the operator's {@code --alias NAME=MODEL}s, and the names the cloud APIs use
 * (OpenAI's and NanoGPT's Whisper names, fal's endpoints), each mapped to the first suitable
 * model unless an alias says otherwise.
 */
public final class Models implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Models.class.getName());

    /** Names that ask for a Whisper-like model (OpenAI, Fireworks, NanoGPT). */
    static final List<String> WHISPER_NAMES = List.of("whisper-1", "whisper-v3", "whisper-v3-turbo",
            "gpt-4o-transcribe", "gpt-4o-mini-transcribe", "gpt-4o-transcribe-diarize", "Whisper-Large-V3", "Wizper", "Elevenlabs-STT");
    /** fal's streaming Nemotron endpoints. */
    public static final String FAL_ENGLISH = "fal-ai/nemotron/asr";
    public static final String FAL_MULTILINGUAL = "nvidia/nemotron-asr-multilingual/asr";

    private final List<ServedModel> models;
    private final Map<String, ServedModel> names = new LinkedHashMap<>();   // lower-cased name → model
    private final Map<String, String> targets = new LinkedHashMap<>();      // name as written → model name

    private Models(List<ServedModel> models, Map<String, String> aliases) {
        this.models = models;
        for (ServedModel m : models) put(m.name(), m);
        for (var alias : aliases.entrySet()) {
            ServedModel m = byName(alias.getValue());
            if (m == null) {
                throw new ServeException(400, "unknown_model", "alias", "--alias " + alias.getKey() + "=" + alias.getValue()
                        + ": no loaded model is called '" + alias.getValue() + "'; loaded: " + loadedNames());
            }
            put(alias.getKey(), m);
        }
        for (String n : WHISPER_NAMES) putDefault(n, first(ServedModel::isWhisper));
        putDefault(FAL_ENGLISH, first(m -> !m.isWhisper()));
        putDefault(FAL_MULTILINGUAL, first(m -> !m.isWhisper() && !m.info().languages().isEmpty(), m -> !m.isWhisper()));
    }

    /** Loads every model (in order); on failure closes what was loaded and rethrows. */
    public static Models load(List<Path> paths, Map<String, String> aliases, ExecutionConfig execution, boolean batching) {
        List<ServedModel> loaded = new ArrayList<>();
        try {
            for (Path p : paths) {
                ServedModel m = ServedModel.load(p, execution, batching);
                LOG.info("loaded " + m.name() + " (" + m.info().family() + ", " + m.info().provider() + ") in "
                        + String.format(Locale.ROOT, "%.2f s", m.loadSeconds()));
                loaded.add(m);
            }
            return new Models(loaded, aliases);
        } catch (RuntimeException e) {
            loaded.forEach(ServedModel::close);
            throw e;
        }
    }

    private void put(String name, ServedModel m) {
        names.put(name.toLowerCase(Locale.ROOT), m);
        targets.put(name, m.name());
    }

    private void putDefault(String name, ServedModel m) {
        if (!names.containsKey(name.toLowerCase(Locale.ROOT))) put(name, m);
    }

    @SafeVarargs
    private ServedModel first(Predicate<ServedModel>... preferences) {
        for (Predicate<ServedModel> p : preferences) {
            for (ServedModel m : models) if (p.test(m)) return m;
        }
        return models.get(0);
    }

    private ServedModel byName(String name) {
        return name == null ? null : names.get(name.toLowerCase(Locale.ROOT));
    }

    /**
     * The model a request names; null or blank gives the first model. An unknown name is a
     * 404 listing the names that exist.
     */
    public ServedModel resolve(String name) {
        if (name == null || name.isBlank()) return models.get(0);
        ServedModel m = byName(name.strip());
        if (m == null) {
            throw new ServeException(404, "model_not_found", "model", "The model '" + name + "' does not exist on this "
                    + "server. Available: " + String.join(", ", targets.keySet()));
        }
        return m;
    }

    /** Every name a client may send, with the loaded model it reaches. */
    public Map<String, String> names() {
        return Map.copyOf(targets);
    }

    /** Names in the order they were registered (models first, then aliases). */
    public List<String> orderedNames() {
        return List.copyOf(targets.keySet());
    }

    public List<ServedModel> all() {
        return models;
    }

    public String loadedNames() {
        return String.join(", ", models.stream().map(ServedModel::name).toList());
    }

    public int activeStreams() {
        return models.stream().mapToInt(ServedModel::activeStreams).sum();
    }

    @Override
    public void close() {
        models.forEach(ServedModel::close);
    }
}
