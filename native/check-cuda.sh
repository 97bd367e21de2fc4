#!/usr/bin/env bash
# Checks that this machine can run Sotto's CUDA build (./mvnw -Pcuda package): an NVIDIA
# driver and GPU, and the CUDA 12 libraries ONNX Runtime 1.29's CUDA provider links against.
# Prints what is found and what is missing; exits 1 when something is missing.
#   native/check-cuda.sh
set -u
missing=0
ok()   { printf '  ok       %s\n' "$*"; }
miss() { printf '  MISSING  %s\n' "$*"; missing=1; }

echo "GPU and driver:"
if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then
  nvidia-smi --query-gpu=index,name,driver_version,memory.total --format=csv,noheader | sed 's/^/  ok       /'
else
  miss "nvidia-smi / a GPU (install the NVIDIA driver; in a container, run it with the GPU exposed)"
fi

# From `readelf -d libonnxruntime_providers_cuda.so` of com.microsoft.onnxruntime:onnxruntime_gpu:1.29.0.
echo "Libraries the CUDA execution provider needs (dynamic loader view):"
for lib in libcuda.so.1 libcudart.so.12 libcublas.so.12 libcublasLt.so.12 libcurand.so.10; do
  path=$( (ldconfig -p 2>/dev/null | awk -v l="$lib" '$1 == l {print $NF; exit}') )
  if [ -z "$path" ] && [ -n "${LD_LIBRARY_PATH:-}" ]; then
    IFS=: read -ra dirs <<< "$LD_LIBRARY_PATH"
    for d in "${dirs[@]}"; do [ -e "$d/$lib" ] && path="$d/$lib" && break; done
  fi
  if [ -n "$path" ]; then ok "$lib  ($path)"; else miss "$lib"; fi
done

echo "Sotto build:"
here="$(cd "$(dirname "$0")/.." && pwd)"
if ls "$here"/target/lib/onnxruntime_gpu-*.jar >/dev/null 2>&1; then
  ok "target/lib has onnxruntime_gpu"
else
  miss "the CUDA build of Sotto: ./mvnw -Pcuda -Dmaven.test.skip=true package (downloads the 640 MB onnxruntime_gpu jar)"
fi

if [ "$missing" = 0 ]; then
  echo "All present. Try: ./sotto transcribe --device cuda --model DIR FILE"
else
  echo "Something is missing: see native/README.md for how to provision CUDA 12."
fi
exit "$missing"
