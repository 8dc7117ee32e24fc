#!/usr/bin/env bash
# Runs the demo: builds the SDK and the collector, starts the collector, serves www/ (with the
# SDK sending to the collector) and prints the URL. Ctrl-C stops both.
#   DEMO_PORT (default 8080) for the page, COLLECTOR_PORT (default 8787) for the collector.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
cargo build --quiet -p wasm-telemetry-collector

page_port=${DEMO_PORT:-8080}
collector_port=${COLLECTOR_PORT:-8787}
mkdir -p target/demo
target/debug/wasm-telemetry-collector --port "$collector_port" --db target/demo/telemetry.db &
collector=$!
node scripts/serve.mjs "$page_port" /=www /pkg/=pkg >/dev/null &
server=$!
trap 'kill $collector $server 2>/dev/null; wait 2>/dev/null' EXIT INT TERM

sleep 1
echo
echo "  Demo:      http://127.0.0.1:$page_port/?collector=http://127.0.0.1:$collector_port"
echo "  Collector: http://127.0.0.1:$collector_port/api/events"
echo
wait
