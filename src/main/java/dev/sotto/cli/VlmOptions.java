package dev.sotto.cli;

import dev.sotto.SottoException;
import dev.sotto.video.BackendConfig;
import picocli.CommandLine.Option;

/** Where the vision-language model runs (an OpenAI-compatible server): shared by serve, describe and doctor. */
final class VlmOptions {
    @Option(names = "--vlm-url", paramLabel = "URL",
            description = "OpenAI-compatible base URL of the vision-language model server (vLLM, NVIDIA NIM, llama-server), "
                    + "e.g. http://127.0.0.1:8000/v1.")
    String url;

    @Option(names = "--vlm-model", paramLabel = "NAME", description = "The model name that server serves, "
            + "e.g. nvidia/Nemotron-3-Nano-Omni-30B-A3B-Reasoning-FP8.")
    String model;

    @Option(names = "--vlm-api-key", paramLabel = "KEY", description = "Bearer key for that server (also SOTTO_VLM_API_KEY).")
    String apiKey;

    @Option(names = "--vlm-timeout", paramLabel = "D", defaultValue = "300s",
            description = "Longest wait for one answer of the model server (e.g. 300s, 10m; default: ${DEFAULT-VALUE}).")
    String timeout;

    boolean given() {
        return url != null;
    }

    /** The backend, or null when no --vlm-url was given (then the other --vlm options are a mistake). */
    BackendConfig config() {
        if (url == null) {
            if (model != null || apiKey != null) throw new SottoException("--vlm-model and --vlm-api-key need --vlm-url (the model server's URL)");
            return null;
        }
        String key = apiKey != null ? apiKey : System.getenv("SOTTO_VLM_API_KEY");
        return BackendConfig.of(url, model, key, ServeCommand.parseDuration(timeout));
    }
}
