#!/usr/bin/env bash
# Runs every test: lints, native tests of the pure core and the collector, browser tests of
# the wasm boundary (wasm-bindgen-test in headless Chromium), then end-to-end tests that drive
# real pages in headless Chromium against a real collector on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh

echo "== lint"
cargo fmt --all --check
cargo clippy --quiet --workspace --all-targets -- -D warnings
cargo clippy --quiet -p wasm-telemetry --lib --tests --target wasm32-unknown-unknown -- -D warnings
# The npm package's three builds, one per entry (scripts/build.sh).
for features in bundle bundle,web bundle,full; do
  cargo clippy --quiet -p wasm-telemetry --lib --target wasm32-unknown-unknown --no-default-features --features "$features" -- -D warnings
done

echo "== the bundled price table is what the pinned dataset generates"
node scripts/prices.mjs
git diff --exit-code -- prices/src/table.rs

echo "== native tests (core and collector)"
cargo test --quiet --workspace
# The smaller builds leave out what the full build adds (the otlp transport).
cargo test --quiet -p wasm-telemetry --lib --no-default-features

echo "== browser tests (wasm-bindgen-test, headless Chromium)"
CHROMEDRIVER=${CHROMEDRIVER:-$(command -v chromedriver)} \
  cargo test -p wasm-telemetry --target wasm32-unknown-unknown --test browser

echo "== end-to-end tests (Playwright, headless Chromium, real collector)"
bash scripts/build.sh
cargo build --quiet -p wasm-telemetry-collector
node --test --test-concurrency=1 tests/e2e/

echo "== end-to-end tests of the smaller entries (the suites their classes share with the full one)"
shared="tests/e2e/collector.test.mjs tests/e2e/delivery.test.mjs tests/e2e/privacy.test.mjs tests/e2e/hostile.test.mjs"
WT_ENTRY=collector node --test --test-concurrency=1 $shared
WT_ENTRY=web node --test --test-concurrency=1 $shared tests/e2e/errors.test.mjs tests/e2e/health.test.mjs tests/e2e/tracing.test.mjs
