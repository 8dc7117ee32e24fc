#!/usr/bin/env bash
# Installs what the build, demo and tests need on a fresh Debian machine that has Rust and
# Node: the wasm32 target, wasm-bindgen-cli at the version pinned in Cargo.toml, Debian's
# chromium and chromium-driver, the npm packages, and a Python venv with the OpenTelemetry
# protobuf definitions. Skips whatever is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "bootstrap: $*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

pinned=$(sed -n 's/^wasm-bindgen = .*"=\([0-9.]*\)".*/\1/p' Cargo.toml)
installed=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$installed" != "$pinned" ] || ! command -v wasm-bindgen-test-runner >/dev/null; then
  say "installing wasm-bindgen-cli $pinned"
  cargo install wasm-bindgen-cli --version "$pinned"
fi

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  say "installing Debian chromium and chromium-driver"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi

# The OTLP conformance tests parse payloads with the official protobuf definitions (PyPI).
venv=target/otlp-venv
if ! cmp -s tests/support/otlp-requirements.txt "$venv/requirements.txt" 2>/dev/null; then
  say "installing opentelemetry-proto into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/support/otlp-requirements.txt
  cp tests/support/otlp-requirements.txt "$venv/requirements.txt"
fi
