#!/usr/bin/env python3
"""Generate the synthetic ONNX models (and their test audio) that the tests use.

    python3 models/make_test_models.py --out target/test-models

Needs only the Python standard library. What each model does, and why its
output is predictable, is explained at the top of each synth_*.py module.
Generation is deterministic; a stamp file skips work when nothing changed.
"""

import argparse
import hashlib
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import synth_nemo  # noqa: E402
import synth_parakeet  # noqa: E402
import synth_speaker  # noqa: E402
import synth_tagging  # noqa: E402
import synth_whisper  # noqa: E402

GENERATORS = [synth_nemo, synth_whisper, synth_parakeet, synth_speaker, synth_tagging]


def source_hash():
    h = hashlib.sha256()
    for name in sorted(os.listdir(HERE)):
        if name.endswith(".py"):
            with open(os.path.join(HERE, name), "rb") as f:
                h.update(name.encode() + f.read())
    return h.hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="output directory")
    args = parser.parse_args()
    stamp = os.path.join(args.out, ".generated")
    digest = source_hash()
    if os.path.exists(stamp) and open(stamp).read() == digest:
        return
    if os.path.isdir(args.out):
        shutil.rmtree(args.out)
    os.makedirs(args.out)
    for generator in GENERATORS:
        generator.generate(args.out)
    with open(stamp, "w") as f:
        f.write(digest)
    print(f"synthetic test models written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
