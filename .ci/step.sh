# Sourced by .ci/run: `step NAME CMD...` runs CMD, logs its output, and prints one summary line.
# Every step runs even after a failure, so one CI run reports everything; `finish` exits
# non-zero if any step failed.
FAILED=()
LOG_DIR="${CI_LOG_DIR:-target/ci-logs}"
mkdir -p "$LOG_DIR"

step() {
  local name=$1; shift
  local start=$SECONDS log="$LOG_DIR/$name.log"
  echo "::: $name: $*"
  if "$@" > >(tee "$log") 2>&1; then
    printf '=== %-12s ok     %4ds\n' "$name" $((SECONDS - start))
  else
    printf '=== %-12s FAILED %4ds  (log: %s)\n' "$name" $((SECONDS - start)) "$log"
    FAILED+=("$name")
  fi
}

finish() {
  if ((${#FAILED[@]})); then
    echo "CI failed: ${FAILED[*]}"
    exit 1
  fi
  echo "CI passed in ${SECONDS}s"
}
