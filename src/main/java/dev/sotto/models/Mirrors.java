package dev.sotto.models;

import java.net.URI;

/**
 * Where a catalogue URL is actually fetched from. {@code SOTTO_HF_ENDPOINT} replaces
 * {@code https://huggingface.co} (as {@code HF_ENDPOINT} does for Hugging Face's own tools);
 * {@code SOTTO_MODEL_MIRROR} serves every other URL (and Hugging Face's, when no endpoint is
 * set) as {@code MIRROR/HOST/PATH}: the layout {@code wget -x URL} leaves on disk, so an
 * internal mirror is filled by downloading the catalogue's URLs into its document root.
 * {@code file:} mirrors work too (a shared drive).
 */
public final class Mirrors {
    static final String HUGGING_FACE = "https://huggingface.co";
    private final String mirror;
    private final String hfEndpoint;

    Mirrors(ModelSettings settings) {
        this.mirror = trimSlash(settings.mirror());
        this.hfEndpoint = trimSlash(settings.hfEndpoint());
    }

    /** The URL to fetch for the catalogue URL {@code url}. */
    URI effective(String url) {
        if (hfEndpoint != null && url.startsWith(HUGGING_FACE + "/")) {
            return URI.create(hfEndpoint + url.substring(HUGGING_FACE.length()));
        }
        if (mirror != null) {
            URI u = URI.create(url);
            if (u.getScheme().equals("file")) return u;
            return URI.create(mirror + "/" + u.getHost() + u.getRawPath());
        }
        return URI.create(url);
    }

    /** A short description of where downloads go, for messages. */
    String describe() {
        if (mirror == null && hfEndpoint == null) return "the publishers' servers";
        StringBuilder s = new StringBuilder();
        if (mirror != null) s.append("the mirror ").append(mirror).append(" (SOTTO_MODEL_MIRROR)");
        if (hfEndpoint != null) s.append(s.length() > 0 ? " and " : "").append(hfEndpoint).append(" (SOTTO_HF_ENDPOINT)");
        return s.toString();
    }

    private static String trimSlash(String s) {
        if (s == null) return null;
        String t = s;
        while (t.endsWith("/")) t = t.substring(0, t.length() - 1);
        return t;
    }
}
