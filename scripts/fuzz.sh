#!/usr/bin/env bash
# `bash scripts/fuzz.sh <target> [seconds]`: builds one fuzz target of fuzz/ (cores, parsers,
# llm, collector) with libFuzzer's coverage instrumentation on the stable toolchain, with
# overflow checks and debug assertions on, and runs it for `seconds` (default 600). The corpus
# grows in fuzz/corpus/<target>, starting from the seeds in fuzz/seeds/<target>; an input that
# panics is written to fuzz/artifacts/<target>/ and the script exits non-zero. Rerun one with
# `fuzz/target/x86_64-unknown-linux-gnu/release/<target> <file>`.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
target=${1:?usage: scripts/fuzz.sh <cores|parsers|llm|collector> [seconds]}
seconds=${2:-600}
host=$(rustc -vV | sed -n 's/^host: //p')
# Coverage for libFuzzer (the flags cargo-fuzz passes, none of which needs a nightly compiler);
# with --target, they reach only the fuzzed crates, not the build scripts.
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
cargo build --quiet --release --target "$host" --bin "$target"
mkdir -p "corpus/$target" "artifacts/$target"
"target/$host/release/$target" -max_total_time="$seconds" -max_len=8192 -timeout=5 \
  -rss_limit_mb=4096 -artifact_prefix="artifacts/$target/" "corpus/$target" "seeds/$target"
