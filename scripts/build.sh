#!/usr/bin/env bash
# Builds the npm package `wasm-telemetry` into pkg/, one wasm per entry so that a page pays only
# for what it imports: `wasm-telemetry/collector` (TelemetryCollector, redact) loads
# collector.wasm, `wasm-telemetry/web` (plus PerformanceMetrics, ErrorTracking, HealthCheck)
# web.wasm, and `wasm-telemetry` (every class) full.wasm. Each is the crate for wasm32
# (release: LTO, opt-level z, a 64 KiB stack) with that entry's features, through wasm-opt -Oz;
# the entries call its exports themselves (js/wasm.js), with no generated glue. Then the
# hand-written entry points, typings and package.json.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh

crate=wasm_telemetry
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
# The linker's default stack is 1 MiB; the deepest path (the JSON sanitiser at its depth limit)
# needs far less.
stack_bytes=65536

rm -rf pkg
mkdir -p pkg
# What the wasm may use, as the crate is built for wasm32 by default.
features=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-reference-types --enable-multivalue)
# wasm file, cargo features
for entry in "collector bundle" "web bundle,web" "full bundle,full"; do
  set -- $entry
  cargo rustc --quiet --lib --release --target wasm32-unknown-unknown -p wasm-telemetry \
    --no-default-features --features "$2" -- -C "link-arg=-zstack-size=$stack_bytes"
  # Flattening and re-running the relooper first gives -Oz simpler control flow to start from
  # (0.3 to 0.6 KB gzipped); a second -Oz finds what the first one's inlining opened up (0.1 to
  # 0.25 KB). Functions of at most 30 instructions with one caller are inlined. Alignment hints,
  # which engines do not need, are all 1: the same byte everywhere (0.13 KB).
  node_modules/.bin/wasm-opt --flatten --rereloop -Oz -Oz --one-caller-inline-max-function-size=30 \
    --dealign --debuginfo "${features[@]}" \
    "target/wasm32-unknown-unknown/release/$crate.wasm" -o "target/$1.wasm"
  # Then the functions are laid out smallest first (scripts/order-functions.mjs).
  node scripts/order-functions.mjs "target/$1.wasm"
  node_modules/.bin/wasm-opt --reorder-functions-by-name "${features[@]}" \
    --strip-debug --strip-producers --strip-target-features "target/$1.wasm" -o "pkg/$1.wasm"
done

# Every hand-written module and declaration of js/ ships.
cp js/*.js js/*.d.ts pkg/
node scripts/minify.mjs
cp README.md pkg/README.md
cat > pkg/package.json <<JSON
{
  "name": "wasm-telemetry",
  "version": "$version",
  "description": "Browser telemetry in Rust/WebAssembly: events, privacy, reliable delivery, Web Vitals, errors and LLM cost.",
  "license": "MIT",
  "type": "module",
  "main": "./index.js",
  "module": "./index.js",
  "types": "./index.d.ts",
  "exports": {
    ".": {
      "types": "./index.d.ts",
      "import": "./index.js",
      "default": "./index.js"
    },
    "./web": {
      "types": "./web.d.ts",
      "import": "./web.js",
      "default": "./web.js"
    },
    "./collector": {
      "types": "./collector.d.ts",
      "import": "./collector.js",
      "default": "./collector.js"
    },
    "./react": {
      "types": "./react.d.ts",
      "import": "./react.js",
      "default": "./react.js"
    },
    "./loader": "./loader.js",
    "./wasm": "./full.wasm",
    "./package.json": "./package.json"
  },
  "files": [
    "*.js",
    "*.d.ts",
    "*.wasm",
    "README.md"
  ],

  "peerDependencies": {
    "react": ">=18"
  },
  "peerDependenciesMeta": {
    "react": {
      "optional": true
    }
  },
  "sideEffects": [
    "./loader.js"
  ]
}
JSON
echo "built pkg/ (wasm-telemetry $version)"
