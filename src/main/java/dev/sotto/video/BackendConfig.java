package dev.sotto.video;

import dev.sotto.SottoException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * Where the vision-language model runs: an OpenAI-compatible server (vLLM, NVIDIA NIM,
 * llama.cpp's llama-server) at {@code baseUrl} (e.g. {@code http://127.0.0.1:8000/v1}), the
 * model name it serves, an optional bearer key, and how long one answer may take.
 */
public record BackendConfig(URI baseUrl, String model, String apiKey, Duration timeout) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    /**
     * From the command line: {@code url} is the API base ({@code .../v1}); a URL that already ends in
     * {@code /chat/completions} is taken as that endpoint. Fails with a message naming the option.
     */
    public static BackendConfig of(String url, String model, String apiKey, Duration timeout) {
        if (url == null || url.isBlank()) throw new SottoException("--vlm-url is missing: give the OpenAI-compatible base URL of the "
                + "model server, e.g. http://127.0.0.1:8000/v1 (vLLM, NIM) or http://127.0.0.1:8080/v1 (llama-server)");
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new SottoException("--vlm-url " + url + " is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new SottoException("--vlm-url " + url + ": use an http:// or https:// URL with a host, e.g. http://127.0.0.1:8000/v1");
        }
        String base = uri.toString().replaceAll("/+$", "");
        if (base.endsWith("/chat/completions")) base = base.substring(0, base.length() - "/chat/completions".length());
        if (model == null || model.isBlank()) {
            throw new SottoException("--vlm-model is missing: give the name the model server serves, e.g. "
                    + "nvidia/Nemotron-3-Nano-Omni-30B-A3B-Reasoning-FP8 (GET " + base + "/models lists them)");
        }
        if (timeout == null || timeout.isZero() || timeout.isNegative()) throw new SottoException("--vlm-timeout must be positive");
        return new BackendConfig(URI.create(base), model.strip(), apiKey == null || apiKey.isBlank() ? null : apiKey, timeout);
    }

    public URI chatCompletions() {
        return URI.create(baseUrl + "/chat/completions");
    }

    public URI models() {
        return URI.create(baseUrl + "/models");
    }
}
