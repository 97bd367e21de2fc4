package dev.sotto.zipformer;

import ai.onnxruntime.OnnxJavaType;
import dev.sotto.SottoException;
import dev.sotto.runtime.OnnxModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The cached state tensors of an icefall streaming Zipformer2 encoder, in the order the
 * encoder takes them after {@code x}, with shapes computed from the metadata as
 * sherpa-onnx computes them. For each layer of each encoder stack: the attention keys
 * {@code [left_context, 1, query_head_dim·heads]}, the non-linear attention cache
 * {@code [1, 1, left_context, 3·dim/4]}, two value caches {@code [left_context, 1,
 * value_head_dim·heads]} and two convolution caches {@code [1, dim, kernel/2]}; then the
 * subsampling front's {@code embed_states [1, 128, 3, ((features-1)/2-1)/2]} and
 * {@code processed_lens [1]} (int64). All start at zero.
 */
record CacheLayout(List<Cache> caches) {

    /** One state tensor (batch axis included, batch 1) and where its shape comes from. */
    record Cache(String role, OnnxJavaType type, long[] shape) {
        int size() {
            return (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        }
    }

    static CacheLayout fromMetadata(OnnxModel encoder, int featureDim) {
        int[] dims = list(encoder, "encoder_dims");
        int[] layers = list(encoder, "num_encoder_layers");
        int[] leftContext = list(encoder, "left_context_len");
        int[] queryHeadDims = list(encoder, "query_head_dims");
        int[] valueHeadDims = list(encoder, "value_head_dims");
        int[] heads = list(encoder, "num_heads");
        int[] kernels = list(encoder, "cnn_module_kernels");
        int stacks = dims.length;
        for (int[] other : List.of(layers, leftContext, queryHeadDims, valueHeadDims, heads, kernels)) {
            if (other.length != stacks) {
                throw new SottoException(encoder.file() + ": the metadata lists describe different numbers of encoder stacks: "
                        + "encoder_dims " + Arrays.toString(dims) + ", num_encoder_layers " + Arrays.toString(layers)
                        + ", left_context_len " + Arrays.toString(leftContext) + ", query_head_dims "
                        + Arrays.toString(queryHeadDims) + ", value_head_dims " + Arrays.toString(valueHeadDims)
                        + ", num_heads " + Arrays.toString(heads) + ", cnn_module_kernels " + Arrays.toString(kernels));
            }
        }
        List<Cache> caches = new ArrayList<>();
        for (int s = 0; s < stacks; s++) {
            long context = leftContext[s];
            for (int l = 0; l < layers[s]; l++) {
                String where = "stack " + s + " layer " + l + ": ";
                caches.add(floats(where + "attention keys [left_context_len, 1, query_head_dims·num_heads]",
                        context, 1, (long) queryHeadDims[s] * heads[s]));
                caches.add(floats(where + "non-linear attention [1, 1, left_context_len, 3·encoder_dims/4]",
                        1, 1, context, 3L * dims[s] / 4));
                for (int v = 1; v <= 2; v++) {
                    caches.add(floats(where + "values " + v + " [left_context_len, 1, value_head_dims·num_heads]",
                            context, 1, (long) valueHeadDims[s] * heads[s]));
                }
                for (int c = 1; c <= 2; c++) {
                    caches.add(floats(where + "convolution " + c + " [1, encoder_dims, cnn_module_kernels/2]",
                            1, dims[s], kernels[s] / 2));
                }
            }
        }
        caches.add(floats("subsampling embed_states [1, 128, 3, ((features-1)/2-1)/2]", 1, 128, 3,
                ((featureDim - 1) / 2 - 1) / 2));
        caches.add(new Cache("processed_lens [1]", OnnxJavaType.INT64, new long[] {1}));
        return new CacheLayout(List.copyOf(caches));
    }

    private static Cache floats(String role, long... shape) {
        return new Cache(role, OnnxJavaType.FLOAT, shape);
    }

    private static int[] list(OnnxModel encoder, String key) {
        String value = encoder.meta(key);
        try {
            return Arrays.stream(value.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new SottoException(encoder.file() + ": metadata '" + key + "' should be a comma-separated list of integers, "
                    + "found '" + value + "'");
        }
    }
}
