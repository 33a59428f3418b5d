#!/usr/bin/env bash
# A registry-based consumer that is not LMS's reads LMS's topics: starts a real schema registry
# (Apicurio Registry, Confluent's API under /apis/ccompat/v7) and LMS in registry mode (the jar, on
# its embedded broker, on temporary directories), writes a lead over HTTP, then reads lms.lead-events
# and lms.leads with kafkajs and @kafkajs/confluent-schema-registry (scripts/registry-client/check.mjs).
#
#   scripts/registry-client-check.sh
#
# Needs: the jar (mvn -B -q package -DskipTests), Apicurio's distribution in
# streams-app/target/apicurio-registry (unpacked by mvn verify; unpacked here when missing), curl,
# python3 (to find free ports), node 18+ and npm (npm ci of scripts/registry-client, pinned).
# Exit code 0 when every record of both topics decoded through the registry.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in curl node npm python3; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 2; }
done
[ -f streams-app/target/lms-streams.jar ] || { echo "needs streams-app/target/lms-streams.jar (mvn -B -q package -DskipTests)" >&2; exit 2; }
REGISTRY_DIR=streams-app/target/apicurio-registry
RUNNER=apicurio-registry-app-2.6.13.Final-runner.jar
if [ ! -f "$REGISTRY_DIR/$RUNNER" ]; then
  echo "== unpacking Apicurio Registry into $REGISTRY_DIR"
  mvn -B -q -pl streams-app dependency:unpack@unpack-apicurio-registry -DskipITs=false
fi

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
KAFKA_PORT="$(free_port)"; HTTP_PORT="$(free_port)"; REGISTRY_PORT="$(free_port)"
REGISTRY="http://127.0.0.1:$REGISTRY_PORT/apis/ccompat/v7"
WORK="$(mktemp -d)"
REGISTRY_PID=""; LMS_PID=""
# Stop both on the way out and keep the check's exit code: the JVMs answer SIGTERM with 143.
stop_all() {
  local rc=$?
  for pid in $LMS_PID $REGISTRY_PID; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  [ "$rc" -eq 0 ] || { echo "== LMS log"; tail -50 "$WORK/lms.log" 2>/dev/null; echo "== registry log"; tail -20 "$WORK/registry.log" 2>/dev/null; } >&2
  rm -rf "$WORK"
  exit "$rc"
}
trap stop_all EXIT

await_ready() { # name url pid log
  for _ in $(seq 1 300); do
    curl -fs -o /dev/null "$2" && return 0
    kill -0 "$3" 2>/dev/null || { echo "$1 exited" >&2; tail -50 "$4" >&2; exit 1; }
    sleep 1
  done
  echo "$1 not ready after 300 s" >&2; exit 1
}

echo "== starting Apicurio Registry on 127.0.0.1:$REGISTRY_PORT"
# From its own directory: the runner finds its lib/ relative to it.
(cd "$REGISTRY_DIR" && exec java -Xmx256m -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$REGISTRY_PORT" \
  -jar "$RUNNER") > "$WORK/registry.log" 2>&1 &
REGISTRY_PID=$!
await_ready "Apicurio Registry" "http://127.0.0.1:$REGISTRY_PORT/health/ready" "$REGISTRY_PID" "$WORK/registry.log"
# Confluent's default compatibility (Apicurio's is NONE): what LMS's schemas keep to.
curl -fsS -X PUT -H 'Content-Type: application/vnd.schemaregistry.v1+json' \
  --data '{"compatibility":"BACKWARD"}' "$REGISTRY/config" > /dev/null

echo "== starting LMS in registry mode (Kafka on 127.0.0.1:$KAFKA_PORT, HTTP on $HTTP_PORT)"
LMS_SCHEMA_REGISTRY_URL="$REGISTRY" LMS_EMBEDDED_PORT="$KAFKA_PORT" LMS_HTTP_PORT="$HTTP_PORT" \
  LMS_EMBEDDED_DATA_DIR="$WORK/kafka" LMS_STATE_DIR="$WORK/state" \
  java -Xmx1g -jar streams-app/target/lms-streams.jar > "$WORK/lms.log" 2>&1 &
LMS_PID=$!
await_ready LMS "http://127.0.0.1:$HTTP_PORT/health/ready" "$LMS_PID" "$WORK/lms.log"

echo "== a lead over HTTP"
curl -fsS -u demo:demo-password -X POST "http://127.0.0.1:$HTTP_PORT/v2/leads" -H 'Idempotency-Key: registry-check:0001' \
  -d '{"type":"SKU","leadFor":"item001","idType":"EMAIL","identifier":"registry@example.com","status":"OPEN"}'
echo

echo "== reading lms.lead-events and lms.leads with kafkajs and @kafkajs/confluent-schema-registry"
npm ci --prefix scripts/registry-client --no-audit --no-fund --loglevel=error
node scripts/registry-client/check.mjs --bootstrap "127.0.0.1:$KAFKA_PORT" --registry "$REGISTRY" \
  --topics lms.lead-events,lms.leads --min 1
