#!/bin/sh
# Regenerates src/dist/lib/idbroker.classlist, the classes the broker loads from process launch to its
# first /health/ready, from which bin/idbroker makes the start-up class archive (see docs/ARCHITECTURE.md).
# Run after 'mvn package' when the start-up code or the libraries changed:  distribution/update-classlist.sh
# It starts the built distribution twice with start-dev on an empty data folder (the first start migrates
# an empty database, the second finds it migrated). A stale list only makes the archive cover less.
set -eu
module=$(cd "$(dirname "$0")" && pwd)
dist="$module/target/idbroker"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo 18080)
for run in 1 2; do
  IDBROKER_CDS=off JAVA_OPTS="-XX:+UseSerialGC -Xmx96m -XX:DumpLoadedClassList=$work/classes.$run" \
    "$dist/bin/idbroker" start-dev --http-port "$port" --data-dir "$work/data" >"$work/log.$run" 2>&1 &
  pid=$!
  tries=0
  until curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; do
    tries=$((tries + 1))
    if [ "$tries" -gt 600 ] || ! kill -0 "$pid" 2>/dev/null; then cat "$work/log.$run" >&2; exit 1; fi
    sleep 0.1
  done
  kill "$pid"
  wait "$pid" || true
done
{
  echo "# The classes IdBroker loads from launch to its first /health/ready. Made by distribution/update-classlist.sh; do not edit."
  cat "$work/classes.1" "$work/classes.2" | grep -v '^#' | awk '!seen[$0]++'
} >"$module/src/dist/lib/idbroker.classlist"
wc -l "$module/src/dist/lib/idbroker.classlist"
