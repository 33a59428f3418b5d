#!/usr/bin/env bash
# Runs the README's examples for upstream producers against a running LMS, and checks each outcome
# on lms.command-results: the kcat JSON example exactly as the README gives it, then the Python ones
# (scripts/lms_producer.py: JSON, Avro single-object encoding, and JSON with librdkafka's default
# partitioner, which LMS has to move to the org's partition).
#
#   scripts/producer-examples.sh                  against the embedded default: 127.0.0.1:9092, org demo
#   scripts/producer-examples.sh --start          first starts streams-app/target/lms-streams.jar
#                                                 (mvn -B -q package -DskipTests) on temporary
#                                                 directories, Kafka on 127.0.0.1:19092, and stops it after
#   KAFKA_BOOTSTRAP=host:port scripts/producer-examples.sh
#
# Needs kcat, python3-confluent-kafka and python3-avro (Debian packages; no PyPI needed).
# Exit code 0 when every example's commands were accepted.
set -euo pipefail
cd "$(dirname "$0")/.."

BOOTSTRAP="${KAFKA_BOOTSTRAP:-127.0.0.1:9092}"
START=false
[ "${1:-}" = "--start" ] && START=true

for tool in kcat curl; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install $tool)" >&2; exit 2; }
done
PYTHON=""
# A python3 from pyenv or a virtualenv may come first on the PATH: Debian's packages are /usr/bin/python3's.
for candidate in python3 /usr/bin/python3; do
  if "$candidate" -c 'import confluent_kafka, avro' 2>/dev/null; then PYTHON="$candidate"; break; fi
done
[ -n "$PYTHON" ] || { echo "needs python3-confluent-kafka and python3-avro (apt-get install ...)" >&2; exit 2; }

if $START; then
  BOOTSTRAP=127.0.0.1:19092
  WORK="$(mktemp -d)"
  LMS_EMBEDDED_PORT=19092 LMS_HTTP_PORT=18080 LMS_EMBEDDED_DATA_DIR="$WORK/kafka" LMS_STATE_DIR="$WORK/state" \
    java -Xmx1g -jar streams-app/target/lms-streams.jar > "$WORK/lms.log" 2>&1 &
  LMS_PID=$!
  # Stop LMS on the way out and keep the examples' exit code: the JVM answers SIGTERM with 143,
  # which under set -e would otherwise become the script's own.
  stop_lms() {
    local rc=$?
    kill "$LMS_PID" 2>/dev/null || true
    wait "$LMS_PID" 2>/dev/null || true
    rm -rf "$WORK"
    exit "$rc"
  }
  trap stop_lms EXIT
  echo "== starting LMS (pid $LMS_PID, log $WORK/lms.log)"
  for _ in $(seq 1 300); do
    curl -fs -o /dev/null http://127.0.0.1:18080/health/ready && break
    kill -0 "$LMS_PID" 2>/dev/null || { cat "$WORK/lms.log"; exit 1; }
    sleep 1
  done
  curl -fs -o /dev/null http://127.0.0.1:18080/health/ready || { echo "LMS not ready after 300 s" >&2; exit 1; }
fi

echo "== the README's kcat example, against $BOOTSTRAP"
# The fenced block after the marker, as the README has it (only the broker address replaced).
EXAMPLE="$(awk '/<!-- producer-example: kcat/ {found=1; next} found && /^```bash/ {inside=1; next}
                inside && /^```/ {exit} inside {print}' README.md)"
[ -n "$EXAMPLE" ] || { echo "no kcat example in README.md" >&2; exit 1; }
echo "$EXAMPLE"
bash -euo pipefail -c "${EXAMPLE//127.0.0.1:9092/$BOOTSTRAP}"
KCAT_ID="$(grep -o '"commandId":"[^"]*"' <<<"$EXAMPLE" | head -1 | cut -d'"' -f4)"
"$PYTHON" scripts/lms_producer.py --bootstrap "$BOOTSTRAP" await "$KCAT_ID"

echo "== Python, JSON"
"$PYTHON" scripts/lms_producer.py --bootstrap "$BOOTSTRAP" json
echo "== Python, Avro single-object encoding with python3-avro"
"$PYTHON" scripts/lms_producer.py --bootstrap "$BOOTSTRAP" avro
echo "== Python, JSON with librdkafka's default partitioner (LMS moves what lands elsewhere)"
"$PYTHON" scripts/lms_producer.py --bootstrap "$BOOTSTRAP" crc32
echo "== all examples accepted"
