#!/usr/bin/env bash
# Builds the npm package `wasm-telemetry` into pkg/: the crate for wasm32 (release: LTO,
# opt-level z), wasm-bindgen (ES module, --target web), wasm-opt -Oz, then the hand-written
# entry point, typings and package.json.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh

crate=wasm_telemetry
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)

cargo build --quiet --lib --release --target wasm32-unknown-unknown -p wasm-telemetry --features bundle
rm -rf pkg
wasm-bindgen --target web --out-dir pkg --out-name "$crate" \
  "target/wasm32-unknown-unknown/release/$crate.wasm"
node_modules/.bin/wasm-opt --flatten --rereloop -Oz -Oz --strip-debug --strip-producers \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "pkg/${crate}_bg.wasm" -o "pkg/${crate}_bg.wasm"

cp js/index.js js/index.d.ts js/queue.js js/loader.js js/react.js js/react.d.ts pkg/
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
    "./react": {
      "types": "./react.d.ts",
      "import": "./react.js",
      "default": "./react.js"
    },
    "./loader": "./loader.js",
    "./wasm": "./${crate}_bg.wasm",
    "./package.json": "./package.json"
  },
  "files": [
    "index.js",
    "index.d.ts",
    "queue.js",
    "loader.js",
    "react.js",
    "react.d.ts",
    "${crate}.js",
    "${crate}.d.ts",
    "${crate}_bg.wasm",
    "${crate}_bg.wasm.d.ts",
    "snippets/",
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
