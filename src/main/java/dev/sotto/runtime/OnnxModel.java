package dev.sotto.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.sotto.SottoException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One ONNX file opened as an ONNX Runtime session: its metadata, its declared inputs and
 * outputs (in graph order), and {@link #run} by position, timed into the owning
 * {@link Runtime}'s statistics. Loaders check the signature they expect through the
 * {@code expect*} methods, which fail with a message naming the file and the tensor.
 *
 * <p>float16 inputs and outputs (fp16 exports) are declared here as float32 and converted
 * at the boundary ({@link HalfPrecision}): the families read and write float32 only.
 */
public final class OnnxModel implements AutoCloseable {
    private final Path file;
    private final OrtSession session;
    private final Runtime runtime;
    private final Map<String, String> metadata;
    private final List<TensorSpec> inputs;
    private final List<TensorSpec> outputs;
    private final List<String> inputNames;
    /** The element types the graph really declares (float16 included), by tensor name. */
    private final Map<String, OnnxJavaType> inputTypes;
    private final Map<String, OnnxJavaType> outputTypes;

    OnnxModel(Path file, OrtSession session, Runtime runtime) throws OrtException {
        this.file = file;
        this.session = session;
        this.runtime = runtime;
        this.metadata = Collections.unmodifiableMap(new HashMap<>(session.getMetadata().getCustomMetadata()));
        this.inputTypes = types(session.getInputInfo());
        this.outputTypes = types(session.getOutputInfo());
        this.inputs = specs(session.getInputInfo());
        this.outputs = specs(session.getOutputInfo());
        this.inputNames = inputs.stream().map(TensorSpec::name).toList();
    }

    private static List<TensorSpec> specs(Map<String, NodeInfo> infos) {
        List<TensorSpec> list = new ArrayList<>();
        for (NodeInfo info : infos.values()) {
            if (info.getInfo() instanceof TensorInfo t) {
                OnnxJavaType type = t.type == OnnxJavaType.FLOAT16 ? OnnxJavaType.FLOAT : t.type;
                list.add(new TensorSpec(info.getName(), type, t.getShape()));
            } else {
                list.add(new TensorSpec(info.getName(), OnnxJavaType.UNKNOWN, new long[0]));
            }
        }
        return Collections.unmodifiableList(list);
    }

    private static Map<String, OnnxJavaType> types(Map<String, NodeInfo> infos) {
        Map<String, OnnxJavaType> types = new HashMap<>();
        for (NodeInfo info : infos.values()) {
            if (info.getInfo() instanceof TensorInfo t) types.put(info.getName(), t.type);
        }
        return Collections.unmodifiableMap(types);
    }

    /** Whether the graph's float inputs or outputs are float16 (an fp16 export without keep_io_types). */
    public boolean halfPrecisionIo() {
        return inputTypes.containsValue(OnnxJavaType.FLOAT16) || outputTypes.containsValue(OnnxJavaType.FLOAT16);
    }

    public Path file() {
        return file;
    }

    public List<TensorSpec> inputs() {
        return inputs;
    }

    public List<TensorSpec> outputs() {
        return outputs;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public boolean hasMeta(String key) {
        return metadata.containsKey(key);
    }

    /** A metadata value that must be present. */
    public String meta(String key) {
        String value = metadata.get(key);
        if (value == null) {
            throw new SottoException(file + ": metadata key '" + key + "' is missing. Keys present: "
                    + new java.util.TreeSet<>(metadata.keySet())
                    + ". Was this file exported with the metadata Sotto reads (see README, 'Model formats')?");
        }
        return value;
    }

    public String meta(String key, String fallback) {
        return metadata.getOrDefault(key, fallback);
    }

    public int metaInt(String key) {
        String value = meta(key).trim();
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new SottoException(file + ": metadata '" + key + "' should be an integer, found '" + value + "'");
        }
    }

    public int metaInt(String key, int fallback) {
        return hasMeta(key) ? metaInt(key) : fallback;
    }

    /** Checks input {@code position} has the given type and rank; {@code role} names it in errors. */
    public TensorSpec expectInput(int position, String role, OnnxJavaType type, int rank) {
        return expect("input", inputs, position, role, type, rank);
    }

    public TensorSpec expectOutput(int position, String role, OnnxJavaType type, int rank) {
        return expect("output", outputs, position, role, type, rank);
    }

    /** Checks the graph has exactly {@code count} inputs. */
    public void expectInputCount(int count, String what) {
        expectCount("inputs", inputs, count, what);
    }

    public void expectOutputCount(int count, String what) {
        expectCount("outputs", outputs, count, what);
    }

    private void expectCount(String kind, List<TensorSpec> list, int count, String what) {
        if (list.size() != count) {
            throw new SottoException(file + ": expected " + count + " " + kind + " (" + what + "), but the model has "
                    + list.size() + ": " + list);
        }
    }

    private TensorSpec expect(String kind, List<TensorSpec> list, int position, String role, OnnxJavaType type, int rank) {
        if (position >= list.size()) {
            throw new SottoException(file + ": expected " + kind + " #" + position + " (" + role
                    + ") but the model has only " + list.size() + " " + kind + "s: " + list);
        }
        TensorSpec spec = list.get(position);
        if (spec.type() != type || spec.rank() != rank) {
            throw new SottoException(file + ": " + kind + " #" + position + " '" + spec.name() + "' (" + role + ") should be "
                    + TensorSpec.typeName(type) + " of rank " + rank + ", but the model declares " + spec);
        }
        return spec;
    }

    /** The input spec with this name, or an error listing the inputs there are. */
    public TensorSpec input(String name) {
        for (TensorSpec s : inputs) {
            if (s.name().equals(name)) return s;
        }
        throw new SottoException(file + ": has no input '" + name + "'; its inputs are " + inputs);
    }

    public boolean hasInput(String name) {
        return inputNames.contains(name);
    }

    /** Runs the session with inputs given in graph order; the caller closes the result. */
    public OrtSession.Result run(OnnxTensor... inputsInOrder) {
        if (inputsInOrder.length != inputNames.size()) {
            throw new IllegalArgumentException(file + ": " + inputsInOrder.length + " inputs for " + inputNames.size());
        }
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        for (int i = 0; i < inputsInOrder.length; i++) {
            feed.put(inputNames.get(i), inputsInOrder[i]);
        }
        return run(feed);
    }

    /**
     * Runs with inputs in graph order, writing output i into {@code pinned[i]} where that is
     * not null (ONNX Runtime fills the given tensor instead of allocating one). The result
     * holds the other outputs; get them by name.
     */
    public OrtSession.Result run(OnnxTensor[] inputsInOrder, OnnxTensor[] pinned) {
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        for (int i = 0; i < inputsInOrder.length; i++) feed.put(inputNames.get(i), inputsInOrder[i]);
        Map<String, OnnxTensor> outputsPinned = new LinkedHashMap<>();
        java.util.Set<String> requested = new java.util.LinkedHashSet<>();
        for (int i = 0; i < outputs.size(); i++) {
            if (i < pinned.length && pinned[i] != null) outputsPinned.put(outputs.get(i).name(), pinned[i]);
            else requested.add(outputs.get(i).name());
        }
        // A float32 tensor cannot be pinned for a float16 output: request it, and copy it over after the run.
        Map<String, OnnxTensor> copied = new LinkedHashMap<>();
        for (String name : HalfPrecision.unpinnable(outputsPinned, outputTypes)) {
            copied.put(name, outputsPinned.remove(name));
            requested.add(name);
        }
        OrtSession.Result result = timed(adapted -> session.run(adapted, requested, outputsPinned), feed);
        copied.forEach((name, target) -> HalfPrecision.copyInto(result.get(name).orElseThrow(), target));
        return result;
    }

    public OrtSession.Result run(Map<String, OnnxTensor> feed) {
        return timed(session::run, feed);
    }

    private interface Call {
        OrtSession.Result run(Map<String, OnnxTensor> feed) throws OrtException;
    }

    /** Runs with float inputs converted to the declared float type, timed, failing with the file and device named. */
    private OrtSession.Result timed(Call call, Map<String, OnnxTensor> feed) {
        List<OnnxTensor> converted = new ArrayList<>();
        long start = System.nanoTime();
        try {
            return call.run(HalfPrecision.adapt(feed, inputTypes, converted));
        } catch (OrtException e) {
            throw new SottoException(file + ": ONNX Runtime failed while running the model" + runtime.where() + ": "
                    + firstLine(e.getMessage()), e);
        } finally {
            runtime.stats().add(System.nanoTime() - start);
            Tensors.close(converted.toArray(new AutoCloseable[0]));
        }
    }

    static String firstLine(String message) {
        if (message == null) return "(no message)";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new SottoException(file + ": could not release the session: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
