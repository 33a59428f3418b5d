#!/usr/bin/env bash
# Fuzzes the Jazzer targets of streams-app one after another, each for a set time (README, "Fuzzing"):
#   ./fuzz.sh                 all six targets, 5 minutes each
#   ./fuzz.sh 30m CommandFuzzTest#hostileCommandsGetExactlyOneResult HttpFuzzTest#anyQueryOnTheListsGetsAWellFormedAnswer
# Jazzer fuzzes one target per JVM. A finding ends that target's run, is written as crash-<sha1>
# into streams-app/src/test/resources/<package>/<TestClass>Inputs/<method>/ and makes this script
# exit 1. What the fuzzer learnt is kept in streams-app/.cifuzz-corpus (not committed): the next
# run goes on from there.
set -euo pipefail
cd "$(dirname "$0")"

duration="${1:-5m}"
shift || true
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
  targets=(
    CommandFuzzTest#arbitraryBytesAreDeadLetteredOrAnswered
    CommandFuzzTest#hostileCommandsGetExactlyOneResult
    CommandFuzzTest#mutatedCommandsAreDeadLetteredOrAnswered
    HttpFuzzTest#anyBodyOnAnyWriteGetsAWellFormedAnswer
    HttpFuzzTest#anyQueryOnTheListsGetsAWellFormedAnswer
    HttpFuzzTest#anyLeadIdOnAnyLeadRouteGetsAWellFormedAnswer
  )
fi

mkdir -p streams-app/target/fuzz
status=0
for target in "${targets[@]}"; do
  # Jazzer measures coverage in the project's classes (io.lms); the command targets also in Avro's
  # decoder, which is what their bytes exercise first.
  instrument=()
  case "$target" in
    CommandFuzzTest*) instrument=("-Djazzer.instrument=io.lms.**,org.apache.avro.**") ;;
  esac
  log="streams-app/target/fuzz/${target/\#/.}.log"
  result="no finding"
  if ! JAZZER_FUZZ=1 mvn -B test -pl streams-app -am -Dsurefire.failIfNoSpecifiedTests=false \
      -Dtest="$target" -Djazzer.max_duration="$duration" "${instrument[@]}" >"$log" 2>&1; then
    result="FAILED: a finding (crash-* in its Inputs directory) or a build error, see the log"
    status=1
  fi
  last="$(grep -a -E '^#[0-9]+[[:space:]]+(DONE|NEW|REDUCE|pulse|INITED)' "$log" | tail -n 1 || true)"
  runs="$(grep -a -E '^Done [0-9]+ runs' "$log" | tail -n 1 || true)"
  echo "$target ($duration): $result"
  echo "  ${last:-no fuzzing output}"
  echo "  ${runs:-}  log: $log"
done
exit "$status"
