#!/usr/bin/env bash
# The air gap: rayctl mirror vs skopeo copy on the same machine, in the same run, with Debian's
# docker-registry (plain HTTP, free 127.0.0.1 ports) on both sides of the archive.
#
#   archive write: registry -> oci-archive of one large image (default 10 incompressible layers
#                  x 102.4 MiB = 1 GiB, one platform): rayctl mirror docker://... oci-archive:F
#                  vs skopeo copy docker://... oci-archive:F:v1
#   archive read:  that archive -> a registry with fresh storage: rayctl mirror oci-archive:F
#                  docker://... vs skopeo copy --preserve-digests (so that skopeo does not
#                  gzip the uncompressed layers on the way, which would change the image)
#   bulk:          IMAGES small two-platform images (3 x 1 MiB layers each) registry ->
#                  registry under a prefix, fresh storage: rayctl mirror --list FILE
#                  docker://HOST/PREFIX vs one skopeo copy --all per image, one after another;
#                  and the no-op re-run of both.
# Each case runs RUNS times, alternating which tool goes first. Prints wall time, client CPU
# (user+sys) and peak RSS (GNU time) medians, rayctl/skopeo ratios, and the load average.
#
#   bash bench/airgap_vs_skopeo.sh      # RUNS=3 LAYERS=10 LAYER_MIB=102.4 IMAGES=12
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
LAYERS=${LAYERS:-10}
LAYER_MIB=${LAYER_MIB:-102.4}
IMAGES=${IMAGES:-12}
RAYCTL=${RAYCTL:-build/bin/rayctl}

for tool in docker-registry skopeo python3; do
  command -v "$tool" >/dev/null || { echo "error: $tool is not installed: run scripts/bootstrap.sh" >&2; exit 1; }
done
[[ -x /usr/bin/time ]] || { echo "error: GNU time is not installed: run scripts/bootstrap.sh" >&2; exit 1; }
[[ -x $RAYCTL ]] || { echo "error: $RAYCTL is not built: run scripts/build.sh" >&2; exit 1; }
RAYCTL=$(realpath "$RAYCTL")

WORK=$(mktemp -d "${TMPDIR:-/tmp}/rayctl-airgap-bench-XXXXXX")
# shellcheck source=bench/registry_lib.sh
source "$(dirname "$0")/registry_lib.sh"
# skopeo unpacks and packs archives in a temporary directory: the same disk as ours.
export TMPDIR=$WORK

# CPU seconds the running registries have used so far (utime + stime).
registries_cpu() {
  local ticks=0
  for p in "${PIDS[@]}"; do
    [[ -r /proc/$p/stat ]] && ticks=$((ticks + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  python3 -c "print($ticks / $(getconf CLK_TCK))"
}

# measure NAME CMD...: appends "wall cpu maxrss_kib registries_cpu" to $WORK/NAME.txt; fails
# loudly if CMD fails.
measure() {
  local name=$1; shift
  local before
  before=$(registries_cpu)
  /usr/bin/time -o "$WORK/time.txt" -f '%e %U %S %M' "$@" >"$WORK/last.out" 2>"$WORK/last.err" || {
    echo "error: $name failed:" >&2; cat "$WORK/last.err" >&2; exit 1; }
  read -r wall user sys rss <"$WORK/time.txt"
  echo "$wall $(python3 -c "print(round($user+$sys,3))") $rss $(python3 -c "print(round($(registries_cpu) - $before, 3))")" \
    >>"$WORK/$name.txt"
}
# measure_skopeo_each NAME LIST HOST: one skopeo copy per image of LIST, one after another,
# each to the same path under HOST that rayctl --list gives it.
measure_skopeo_each() {
  local name=$1 list=$2 dest=$3
  measure "$name" bash -c '
    while read -r ref; do
      skopeo copy -q --all --src-tls-verify=false --dest-tls-verify=false "docker://$ref" \
        "docker://$0/${ref#*/}" || exit 1
    done <"$1"' "$dest" "$list"
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) (2-core machine shared with other builds)"
UP_PORT=$(free_port)
PRIV_PORT=$(free_port)
UP=127.0.0.1:$UP_PORT
PRIV=127.0.0.1:$PRIV_PORT
start_registry upstream "$UP_PORT"

echo "building the large image: $LAYERS layers x $LAYER_MIB MiB, one platform, incompressible"
python3 bench/make_bench_image.py "$WORK/layout" --layers "$LAYERS" --layer-mib "$LAYER_MIB" \
  --platforms linux/amd64 >/dev/null
skopeo copy -q --all --preserve-digests --dest-tls-verify=false "oci:$WORK/layout:bench" \
  "docker://$UP/bench/big:v1" >/dev/null
rm -rf "$WORK/layout"
BIG="docker://$UP/bench/big:v1"

echo "building $IMAGES small images: 2 platforms x 3 layers x 1 MiB each"
: >"$WORK/list.txt"
for i in $(seq 1 "$IMAGES"); do
  python3 bench/make_bench_image.py "$WORK/small" --layers 3 --layer-mib 1 >/dev/null
  skopeo copy -q --all --preserve-digests --dest-tls-verify=false "oci:$WORK/small:bench" \
    "docker://$UP/chart/image$i:v$i" >/dev/null
  rm -rf "$WORK/small"
  echo "$UP/chart/image$i:v$i" >>"$WORK/list.txt"
done

# The archive both tools read: written once by rayctl (skopeo reads it fine; see the tests).
"$RAYCTL" mirror -q --src-tls-verify=false "$BIG" "oci-archive:$WORK/in.tar"
BIG_BYTES=$(stat -c %s "$WORK/in.tar")

rayctl_write() { measure "$1" "$RAYCTL" mirror -q --src-tls-verify=false "$BIG" "oci-archive:$WORK/out.tar"; rm -f "$WORK/out.tar"; }
skopeo_write() { measure "$1" skopeo copy -q --src-tls-verify=false "$BIG" "oci-archive:$WORK/out.tar:v1"; rm -f "$WORK/out.tar"; }
rayctl_read() { start_registry private "$PRIV_PORT"; measure "$1" "$RAYCTL" mirror -q --dest-tls-verify=false "oci-archive:$WORK/in.tar" "docker://$PRIV/bench/big:v1"; }
skopeo_read() { start_registry private "$PRIV_PORT"; measure "$1" skopeo copy -q --preserve-digests --dest-tls-verify=false "oci-archive:$WORK/in.tar" "docker://$PRIV/bench/big:v1"; }
rayctl_bulk() {
  start_registry private "$PRIV_PORT"
  measure "$1" "$RAYCTL" mirror -q --src-tls-verify=false --dest-tls-verify=false --list "$WORK/list.txt" "docker://$PRIV"
  measure "${1/bulk/noop}" "$RAYCTL" mirror -q --src-tls-verify=false --dest-tls-verify=false --list "$WORK/list.txt" "docker://$PRIV"
}
skopeo_bulk() {
  start_registry private "$PRIV_PORT"
  measure_skopeo_each "$1" "$WORK/list.txt" "$PRIV"
  measure_skopeo_each "${1/bulk/noop}" "$WORK/list.txt" "$PRIV"
}

for run in $(seq 1 "$RUNS"); do
  if (( run % 2 )); then order=(rayctl skopeo); else order=(skopeo rayctl); fi
  for tool in "${order[@]}"; do
    "${tool}_write" "$tool-write"
    "${tool}_read" "$tool-read"
    "${tool}_bulk" "$tool-bulk"
  done
  echo "round $run done (order: ${order[*]})"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$WORK" "$BIG_BYTES" "$RUNS" "$IMAGES" <<'PY'
import statistics, sys
work, big, runs, images = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
def col(name, c):
    return statistics.median(float(l.split()[c]) for l in open(f"{work}/{name}.txt"))
mib = big / 2**20
print(f"\nlarge image = {mib:.0f} MiB; {images} small images; medians of {runs} alternating runs each\n")
print(f"{'case':<34}{'rayctl wall':>12}{'skopeo wall':>12}{'ratio':>7}{'rayctl cpu':>11}{'skopeo cpu':>11}"
      f"{'rayctl RSS':>12}{'skopeo RSS':>12}{'registries cpu (r/s)':>22}")
cases = (("write", "archive write (registry -> file)"), ("read", "archive read (file -> registry)"),
         ("bulk", f"bulk {images} images (--list)"), ("noop", f"bulk no-op re-run"))
for case, label in cases:
    rw, sw = col(f"rayctl-{case}", 0), col(f"skopeo-{case}", 0)
    rc, sc = col(f"rayctl-{case}", 1), col(f"skopeo-{case}", 1)
    rr, sr = col(f"rayctl-{case}", 2) / 1024, col(f"skopeo-{case}", 2) / 1024
    gr, gs = col(f"rayctl-{case}", 3), col(f"skopeo-{case}", 3)
    print(f"{label:<34}{rw:>11.2f}s{sw:>11.2f}s{rw / sw:>7.2f}{rc:>10.2f}s{sc:>10.2f}s"
          f"{rr:>9.1f} MiB{sr:>8.1f} MiB{gr:>12.2f}s /{gs:>5.2f}s")
for case in ("write", "read"):
    rw, sw = col(f"rayctl-{case}", 0), col(f"skopeo-{case}", 0)
    print(f"{case} throughput: rayctl {mib / rw:.0f} MiB/s, skopeo {mib / sw:.0f} MiB/s; "
          f"speed-up {sw / rw:.2f}x")
print(f"bulk speed-up: {col('skopeo-bulk', 0) / col('rayctl-bulk', 0):.2f}x (target >= 3x); "
      f"rayctl's floor on 2 cores, (its CPU + the registries') / 2: "
      f"{(col('rayctl-bulk', 1) + col('rayctl-bulk', 3)) / 2:.2f}s")
print("(skopeo's RSS for the loop is the largest single skopeo process; bash's is GNU time's max.)")
PY
