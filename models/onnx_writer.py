"""A tiny ONNX writer that needs nothing but the Python standard library.

The synthetic test models must build on a fresh machine that has python3 and
nothing else, so instead of the `onnx` package this module speaks the protobuf
wire format of onnx.proto directly. It covers what the generators use: graphs
of standard operators, initializers (inline or in an external data file),
typed inputs/outputs with symbolic dimensions, opset imports and
metadata_props.

Field numbers are those of onnx/onnx.proto (IR version 8).
"""

import struct

# TensorProto.DataType
FLOAT, UINT8, INT8, INT32, INT64, BOOL, FLOAT16 = 1, 2, 3, 6, 7, 9, 10
_PACK = {FLOAT: "f", UINT8: "B", INT8: "b", INT32: "i", INT64: "q", BOOL: "?", FLOAT16: "e"}

# AttributeProto.AttributeType
_A_FLOAT, _A_INT, _A_STRING, _A_TENSOR, _A_GRAPH, _A_FLOATS, _A_INTS = 1, 2, 3, 4, 5, 6, 7


# --- protobuf wire format -------------------------------------------------

def _varint(n):
    if n < 0:
        n += 1 << 64
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _key(field, wire):
    return _varint((field << 3) | wire)


def _int(field, n):
    return _key(field, 0) + _varint(n)


def _bytes(field, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return _key(field, 2) + _varint(len(data)) + data


def _float(field, x):
    return _key(field, 5) + struct.pack("<f", x)


# --- messages ---------------------------------------------------------------

class Tensor:
    """A constant tensor: values flattened in row-major order."""

    def __init__(self, name, dtype, dims, values):
        self.name, self.dtype, self.dims = name, dtype, list(dims)
        count = 1
        for d in self.dims:
            count *= d
        values = list(values)
        if len(values) != count:
            raise ValueError(f"tensor {name}: {len(values)} values for dims {dims}")
        self.raw = struct.pack("<%d%s" % (count, _PACK[dtype]), *values)

    def encode(self, external=None):
        """external: (file name, offset) to store the data outside the model."""
        out = b"".join(_int(1, d) for d in self.dims)
        out += _int(2, self.dtype) + _bytes(8, self.name)
        if external is None:
            return out + _bytes(9, self.raw)
        location, offset = external
        for k, v in (("location", location), ("offset", str(offset)), ("length", str(len(self.raw)))):
            out += _bytes(13, _bytes(1, k) + _bytes(2, v))
        return out + _int(14, 1)  # data_location = EXTERNAL


def attr(name, value):
    """Encode one node attribute; the type follows the Python value."""
    out = _bytes(1, name)
    if isinstance(value, bool) or isinstance(value, int):
        return out + _int(3, int(value)) + _int(20, _A_INT)
    if isinstance(value, float):
        return out + _float(2, value) + _int(20, _A_FLOAT)
    if isinstance(value, (str, bytes)):
        return out + _bytes(4, value) + _int(20, _A_STRING)
    if isinstance(value, Tensor):
        return out + _bytes(5, value.encode()) + _int(20, _A_TENSOR)
    if isinstance(value, Graph):
        return out + _bytes(6, value.encode()) + _int(20, _A_GRAPH)
    if isinstance(value, (list, tuple)) and all(isinstance(v, int) for v in value):
        return out + b"".join(_int(8, v) for v in value) + _int(20, _A_INTS)
    if isinstance(value, (list, tuple)):
        return out + b"".join(_float(7, float(v)) for v in value) + _int(20, _A_FLOATS)
    raise TypeError(f"attribute {name}: unsupported value {value!r}")


def value_info(name, dtype, shape):
    """shape: ints for fixed sizes, strings for symbolic ones, None for unknown."""
    dims = b""
    for d in shape:
        if isinstance(d, int):
            dims += _bytes(1, _int(1, d))
        elif isinstance(d, str):
            dims += _bytes(1, _bytes(2, d))
        else:
            dims += _bytes(1, b"")
    tensor_type = _int(1, dtype) + _bytes(2, dims)
    return _bytes(1, name) + _bytes(2, _bytes(1, tensor_type))


class Graph:
    """Builds a graph node by node; `op` returns the output name(s)."""

    def __init__(self, name):
        self.name = name
        self.nodes, self.initializers, self.inputs, self.outputs = [], [], [], []
        self.node_specs, self.input_specs, self.output_specs = [], [], []
        self._count = 0

    def input(self, name, dtype, shape):
        self.input_specs.append((name, dtype, shape))
        self.inputs.append(value_info(name, dtype, shape))
        return name

    def output(self, name, dtype, shape):
        self.output_specs.append((name, dtype, shape))
        self.outputs.append(value_info(name, dtype, shape))
        return name

    def const(self, dtype, dims, values, name=None):
        name = name or self._fresh("c")
        self.initializers.append(Tensor(name, dtype, dims, values))
        return name

    def op(self, op_type, inputs, outputs=1, name=None, **attrs):
        """Add a node. outputs: a count of fresh names, or explicit names."""
        if isinstance(outputs, int):
            outputs = [self._fresh(op_type.lower()) for _ in range(outputs)]
        spec = (list(inputs), list(outputs), name or self._fresh("n_" + op_type), op_type, attrs)
        self.node_specs.append(spec)
        self.nodes.append(_encode_node(spec))
        return outputs[0] if len(outputs) == 1 else outputs

    def half_io(self, keep=lambda name: False):
        """Declare the float inputs and outputs float16, cast to and from float32 at the
        boundary: the interface of an fp16 export made without keep_io_types, around the
        same float32 computation. keep: names to leave float32."""
        rename, first, last = {}, [], []
        for i, (name, dtype, shape) in enumerate(self.input_specs):
            if dtype == FLOAT and not keep(name):
                rename[name] = name + "__f32"
                self.input_specs[i] = (name, FLOAT16, shape)
                first.append(([name], [rename[name]], name + "__cast", "Cast", {"to": FLOAT}))
        for i, (name, dtype, shape) in enumerate(self.output_specs):
            if dtype == FLOAT and not keep(name):
                rename[name] = name + "__f32"
                self.output_specs[i] = (name, FLOAT16, shape)
                last.append(([rename[name]], [name], name + "__cast", "Cast", {"to": FLOAT16}))
        self.node_specs = first + [_renamed(s, rename) for s in self.node_specs] + last
        self.nodes = [_encode_node(s) for s in self.node_specs]
        self.inputs = [value_info(*s) for s in self.input_specs]
        self.outputs = [value_info(*s) for s in self.output_specs]
        return self

    def _fresh(self, prefix):
        self._count += 1
        return f"{prefix}_{self._count}"

    def encode(self, external=None):
        out = b"".join(_bytes(1, n) for n in self.nodes) + _bytes(2, self.name)
        data = bytearray()
        for t in self.initializers:
            # Shape-like int64/bool constants stay inline: ONNX Runtime's shape inference
            # reads them at load time (torch exports them as Constant nodes).
            if external is not None and t.dtype not in (INT64, BOOL):
                out += _bytes(5, t.encode((external, len(data))))
                data += t.raw
                data += b"\0" * (-len(data) % 64)  # keep every tensor aligned
            else:
                out += _bytes(5, t.encode())
        out += b"".join(_bytes(11, i) for i in self.inputs)
        out += b"".join(_bytes(12, o) for o in self.outputs)
        if external is not None:
            self.external_data = bytes(data)
        return out


def _encode_node(spec):
    inputs, outputs, name, op_type, attrs = spec
    node = b"".join(_bytes(1, i) for i in inputs)
    node += b"".join(_bytes(2, o) for o in outputs)
    node += _bytes(3, name) + _bytes(4, op_type)
    node += b"".join(_bytes(5, attr(k, v)) for k, v in sorted(attrs.items()))
    return node


def _renamed(spec, rename):
    """A node with tensor names replaced, in its subgraphs too (they read outer names)."""
    inputs, outputs, name, op_type, attrs = spec
    attrs = {k: _renamed_graph(v, rename) if isinstance(v, Graph) else v for k, v in attrs.items()}
    return ([rename.get(i, i) for i in inputs], [rename.get(o, o) for o in outputs], name, op_type, attrs)


def _renamed_graph(graph, rename):
    graph.node_specs = [(([rename.get(i, i) for i in s[0]],) + s[1:]) for s in graph.node_specs]
    graph.node_specs = [s[:4] + ({k: _renamed_graph(v, rename) if isinstance(v, Graph) else v
                                  for k, v in s[4].items()},) for s in graph.node_specs]
    graph.nodes = [_encode_node(s) for s in graph.node_specs]
    return graph


def save(graph, path, metadata=None, opset=17, external_data=None):
    """Write graph as an ONNX model. external_data: a file name beside path
    that receives the weight initializers (as NeMo's large encoders ship)."""
    body = _int(1, 8) + _bytes(2, "sotto-synthetic") + _bytes(3, "1")
    body += _bytes(7, graph.encode(external_data))
    body += _bytes(8, _bytes(1, "") + _int(2, opset))
    for key, value in (metadata or {}).items():
        body += _bytes(14, _bytes(1, key) + _bytes(2, str(value)))
    with open(path, "wb") as f:
        f.write(body)
    if external_data is not None:
        import os
        with open(os.path.join(os.path.dirname(path), external_data), "wb") as f:
            f.write(graph.external_data)
