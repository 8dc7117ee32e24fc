#!/usr/bin/env bash
# Runs the demo: builds the SDK and the collector, starts the collector, serves www/ (with the
# SDK sending to the collector) and prints the URL. Ctrl-C stops both.
#   DEMO_PORT (default 8080) for the page, COLLECTOR_PORT (default 8787) for the collector,
#   DEMO_INGEST_KEY and DEMO_ADMIN_TOKEN for the collector's keys.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
cargo build --quiet -p wasm-telemetry-collector

page_port=${DEMO_PORT:-8080}
collector_port=${COLLECTOR_PORT:-8787}
mkdir -p target/demo
ingest_key=${DEMO_INGEST_KEY:-demo-ingest-key}
admin_token=${DEMO_ADMIN_TOKEN:-demo-admin-token}
target/debug/wasm-telemetry-collector --port "$collector_port" --db target/demo/telemetry.db \
  --ingest-key "$ingest_key" --admin-token "$admin_token" \
  --allowed-origins "http://127.0.0.1:$page_port,http://localhost:$page_port" &
collector=$!
node scripts/serve.mjs "$page_port" /=www /pkg/=pkg >/dev/null &
server=$!
trap 'kill $collector $server 2>/dev/null; wait 2>/dev/null' EXIT INT TERM

sleep 1
echo
echo "  Demo page: http://127.0.0.1:$page_port/?collector=http://127.0.0.1:$collector_port&key=$ingest_key&admin=$admin_token"
echo "  Dashboard: http://127.0.0.1:$collector_port/#token=$admin_token"
echo
wait
