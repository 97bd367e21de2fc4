package dev.sotto.models;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The two ways model files are read: catalogues strictly (a misspelt field is an error to
 * report), files Sotto wrote itself (install manifests, bundles, checksums) leniently, so a
 * newer Sotto's extra fields do not break an older one.
 */
final class Json {
    static final ObjectMapper STRICT = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    static final ObjectMapper LENIENT = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private Json() {
    }
}
