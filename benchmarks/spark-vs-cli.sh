#!/usr/bin/env bash
# Throughput of the Spark job in local mode against the CLI, on the same files and model:
# audio hours per core-hour (wall time x cores) and per CPU-hour (user + system time, which
# load from other processes on a shared machine disturbs less). Run from the project root:
#   benchmarks/spark-vs-cli.sh [MANIFEST.tsv] [MODEL_DIR] [CORES]
set -euo pipefail
manifest="${1:-../shared/audio/manifest.tsv}"
model="${2:-../shared/models/zipformer-gigaspeech-3.3m}"
cores="${3:-2}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dir="$(cd "$(dirname "$manifest")" && pwd)"
files=()
while IFS=$'\t' read -r path _; do files+=("$dir/$path"); done < <(tail -n +2 "$manifest")

./sotto --help > /dev/null   # build first: not timed
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f "%e %U %S" -o "$work/cli.time" \
  ./sotto transcribe --model "$model" --threads 1 --format json --progress=false "${files[@]}" > "$work/cli.jsonl" 2> "$work/cli.err"
/usr/bin/time -f "%e %U %S" -o "$work/spark.time" \
  ./sotto spark --master "local[$cores]" --threads 1 --manifest "$manifest" --model "$model" --out "$work/out" \
  --format jsonl 2> "$work/spark.err"
# The same command again: every file is in the output, so this is Spark's fixed cost (start, manifest, anti-join).
/usr/bin/time -f "%e %U %S" -o "$work/rerun.time" \
  ./sotto spark --master "local[$cores]" --threads 1 --manifest "$manifest" --model "$model" --out "$work/out" \
  --format jsonl 2> "$work/rerun.err"
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$work" "$cores" <<'PY'
import glob, json, sys
work, cores = sys.argv[1], int(sys.argv[2])
rows = [json.loads(l) for f in glob.glob(f"{work}/out/part-*.json") for l in open(f)]
ok = [r for r in rows if r["error"] is None]
cli = {}
for line in open(f"{work}/cli.jsonl"):
    o = json.loads(line)
    cli[o["file"]] = o["text"]
same = sum(1 for r in ok if cli.get(r["file"]) == r["text"])
audio_h = sum(r["duration"] for r in ok) / 3600
print(f"files: {len(rows)} ({len(ok)} transcribed), {audio_h * 3600:.1f} s of audio; texts equal to the CLI's: {same}/{len(ok)}")
print(f"model loads: {sum(1 for r in rows if r['load_seconds'] > 0)}, {sum(r['load_seconds'] for r in rows):.2f} s; "
      f"sum of per-file decoding wall times: {sum(r['wall_seconds'] or 0 for r in ok):.1f} s")
for name, used in (("cli", 1), ("spark", cores), ("rerun", cores)):
    wall, user, sys_ = map(float, open(f"{work}/{name}.time").read().split()[-3:])
    cpu_h = (user + sys_) / 3600
    print(f"{name:5}: wall {wall:.1f} s, CPU {user + sys_:.1f} s; {audio_h / (wall * used / 3600):.1f} audio h per core-hour "
          f"(wall x {used} core{'s' if used > 1 else ''}), {audio_h / cpu_h:.1f} audio h per CPU-hour")
PY
grep -h 'sotto: .*files listed\|in ONNX Runtime' "$work/spark.err" | tail -2
awk '/in ONNX Runtime/ { gsub(/[(%]/, " "); for (i = 1; i <= NF; i++) if ($i == "of" && $(i+1) == "it") s += $(i-1); n++ }
     END { if (n) printf "cli: mean share of each file wall time inside ONNX Runtime: %.0f %%\n", s / n }' "$work/cli.err"
