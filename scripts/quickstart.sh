#!/usr/bin/env bash
# The quick start: install dependencies, build, and run a job on a local cluster of the bundled
# runtime: rayctl up -> status -> submit (a job that prints something from its working dir) ->
# job list -> down. Uses the default data dir ($RAYCTL_HOME or /tmp/rayctl) and ports (6379, 8265).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
bash scripts/build.sh >/dev/null
RAYCTL=build/bin/rayctl

run() {
  echo "\$ rayctl $*"
  "$RAYCTL" "$@"
  echo
}

workdir=$(mktemp -d)
started=0
cleanup() {
  if [[ $started -eq 1 ]]; then "$RAYCTL" down >/dev/null 2>&1 || true; fi
  rm -rf "$workdir"
}
trap cleanup EXIT

# The job's working directory: uploaded by `rayctl submit --working-dir`, the job's cwd on the cluster.
echo "Hello from the job's working directory!" > "$workdir/greeting.txt"
cat > "$workdir/hello.sh" <<'JOB'
echo "$(cat greeting.txt)"
echo "job $RAYCTL_SUBMISSION_ID, cluster $RAYCTL_ADDRESS, files: $(ls | tr '\n' ' ')"
JOB

run up
started=1
run status
echo "\$ rayctl submit --working-dir hello/ -- sh hello.sh"
"$RAYCTL" submit --working-dir "$workdir" -- sh hello.sh
echo
run job list
run down
started=0
