package dev.sotto.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class OrtFailureTest {
    @Test
    void readsTheNodeFromOnnxRuntimesMessage() {
        // As ONNX Runtime 1.29 reports the published gigaspeech-3.3M int8 encoder's fault.
        String message = "Error code - ORT_FAIL - message: Non-zero status code returned while running Reshape node. "
                + "Name:'/downsample/Reshape_1' Status Message: /onnxruntime_src/onnxruntime/core/providers/cpu/tensor/"
                + "reshape_helper.h:91 onnxruntime::ReshapeHelper::ReshapeHelper(const onnxruntime::TensorShape&, "
                + "onnxruntime::TensorShapeVector&, bool) input_shape_size == requested_shape_size was false. The input "
                + "tensor cannot be reshaped to the requested shape. Input shape:{17,1,128}, requested shape:{8,2,1,128}";
        Exception e = new RuntimeException("wrapped", new Exception(message));
        assertEquals(Optional.of(new OrtFailure("Reshape", "/downsample/Reshape_1", "The input tensor cannot be reshaped "
                + "to the requested shape. Input shape:{17,1,128}, requested shape:{8,2,1,128}")), OrtFailure.of(e));
    }

    @Test
    void nothingWhenNoNodeIsNamed() {
        assertEquals(Optional.empty(), OrtFailure.of(new RuntimeException("Load model failed: no such file")));
    }
}
