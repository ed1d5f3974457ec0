# Sourced by the mirror benchmarks: throw-away docker-registry servers on 127.0.0.1, each with
# fresh storage, killed (and $WORK removed) when the script exits. The caller sets WORK to its
# scratch directory before sourcing.
# shellcheck shell=bash

declare -A PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {
  for _ in $(seq 1 500); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.02; done
  echo "error: nothing listens on 127.0.0.1:$1" >&2; exit 1
}

# start_registry NAME PORT [tls]: fresh storage; a clean environment (REGISTRY_* would override).
# With tls: HTTPS with $WORK/pki/server.{crt,key} and htpasswd auth from $WORK/pki/htpasswd.
start_registry() {
  local name=$1 port=$2 tls=${3:-}
  local dir=$WORK/$name
  stop_registry "$name"
  rm -rf "$dir" && mkdir -p "$dir/storage"
  {
    echo "version: 0.1"
    echo "log: {level: error, accesslog: {disabled: true}}"
    echo "storage: {filesystem: {rootdirectory: $dir/storage}, maintenance: {uploadpurging: {enabled: false}}}"
    echo "http:"
    echo "  addr: 127.0.0.1:$port"
    echo "  secret: bench"
    if [[ -n $tls ]]; then
      echo "  tls: {certificate: $WORK/pki/server.crt, key: $WORK/pki/server.key}"
      echo "auth: {htpasswd: {realm: bench, path: $WORK/pki/htpasswd}}"
    fi
  } >"$dir.yml"
  env -i PATH=/usr/bin:/bin HOME="$dir" docker-registry serve "$dir.yml" >"$dir.log" 2>&1 &
  PIDS[$name]=$!
  wait_port "$port"
}
stop_registry() {
  local p=${PIDS[$1]:-}
  if [[ -n $p ]]; then kill -9 "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; unset "PIDS[$1]"; fi
}
