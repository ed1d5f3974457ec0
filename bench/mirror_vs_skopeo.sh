#!/usr/bin/env bash
# rayctl mirror vs skopeo copy on the same machine, in the same run, against the same registries:
# Debian's docker-registry as a plain-HTTP upstream and as an HTTPS + htpasswd private registry
# (test CA from openssl), both on free 127.0.0.1 ports. The image is an index of two platforms,
# each LAYERS incompressible layers of LAYER_MIB MiB (default 10 x 20.1 MiB = 201 MiB).
#
# For each of RUNS rounds, alternating which tool goes first, into fresh registry storage:
#   fresh single-platform copy (rayctl --platform linux/amd64; skopeo --override-arch amd64),
#   no-op re-run of that copy, and an all-platforms copy (rayctl default; skopeo --all).
# Prints wall and client CPU (user+sys) medians, rayctl/skopeo ratios, CPU per GiB against
# sha256sum over the same bytes, and the machine's load before and after.
#
#   bash bench/mirror_vs_skopeo.sh            # RUNS=3 LAYERS=10 LAYER_MIB=20.1
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
LAYERS=${LAYERS:-10}
LAYER_MIB=${LAYER_MIB:-20.1}
RAYCTL=${RAYCTL:-build/bin/rayctl}

for tool in docker-registry skopeo openssl htpasswd python3 sha256sum; do
  command -v "$tool" >/dev/null || { echo "error: $tool is not installed: run scripts/bootstrap.sh" >&2; exit 1; }
done
[[ -x $RAYCTL ]] || { echo "error: $RAYCTL is not built: run scripts/build.sh" >&2; exit 1; }
RAYCTL=$(realpath "$RAYCTL")

WORK=$(mktemp -d "${TMPDIR:-/tmp}/rayctl-bench-XXXXXX")
# shellcheck source=bench/registry_lib.sh
source "$(dirname "$0")/registry_lib.sh"

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) (2-core machine shared with other builds)"
mkdir -p "$WORK/pki/certs"
(
  cd "$WORK/pki"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.crt \
    -days 2 -subj "/CN=bench CA" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout server.key -out server.csr \
    -subj "/CN=127.0.0.1" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >san.ext
  openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 2 \
    -extfile san.ext 2>/dev/null
  cp ca.crt certs/ca.crt
  htpasswd -Bbc htpasswd bench bench-pass 2>/dev/null
)
UP_PORT=$(free_port)
PRIV_PORT=$(free_port)
UP=127.0.0.1:$UP_PORT
PRIV=127.0.0.1:$PRIV_PORT
start_registry upstream "$UP_PORT"

echo "building the image: 2 platforms x $LAYERS layers x $LAYER_MIB MiB, incompressible"
python3 bench/make_bench_image.py "$WORK/layout" --layers "$LAYERS" --layer-mib "$LAYER_MIB" >/dev/null
skopeo copy -q --all --preserve-digests --dest-tls-verify=false "oci:$WORK/layout:bench" \
  "docker://$UP/bench/big:v1" >/dev/null
SRC="docker://$UP/bench/big:v1"

# The bytes of one platform's blobs, for sha256sum and for CPU per GiB.
AMD64_MANIFEST=$(python3 - "$WORK/layout" <<'PY'
import json, sys, os
d = sys.argv[1]
idx = json.load(open(os.path.join(d, "index.json")))["manifests"][0]["digest"].split(":")[1]
index = json.load(open(os.path.join(d, "blobs/sha256", idx)))
m = [e for e in index["manifests"] if e["platform"]["architecture"] == "amd64"][0]["digest"].split(":")[1]
man = json.load(open(os.path.join(d, "blobs/sha256", m)))
print(" ".join(os.path.join(d, "blobs/sha256", b["digest"].split(":")[1]) for b in [man["config"]] + man["layers"]))
PY
)
read -r -a AMD64_FILES <<<"$AMD64_MANIFEST"
ONE_BYTES=$(cat "${AMD64_FILES[@]}" | wc -c)

DEST_FLAGS_RAYCTL=(--dest-cert-dir "$WORK/pki/certs" --dest-creds bench:bench-pass)
DEST_FLAGS_SKOPEO=(--dest-cert-dir "$WORK/pki/certs" --dest-creds bench:bench-pass)

# measure NAME CMD...: appends "wall cpu" to $WORK/NAME.txt; fails loudly if CMD fails.
measure() {
  local name=$1; shift
  /usr/bin/time -o "$WORK/time.txt" -f '%e %U %S' "$@" >"$WORK/last.out" 2>"$WORK/last.err" || {
    echo "error: $name failed:" >&2; cat "$WORK/last.err" >&2; exit 1; }
  read -r wall user sys <"$WORK/time.txt"
  echo "$wall $(python3 -c "print(round($user+$sys,3))")" >>"$WORK/$name.txt"
}

rayctl_one() { measure "$1" "$RAYCTL" mirror -q --platform linux/amd64 --src-tls-verify=false "${DEST_FLAGS_RAYCTL[@]}" "$SRC" "docker://$PRIV/bench/big:v1"; }
skopeo_one() { measure "$1" skopeo copy -q --override-os linux --override-arch amd64 --src-tls-verify=false "${DEST_FLAGS_SKOPEO[@]}" "$SRC" "docker://$PRIV/bench/big:v1"; }
rayctl_all() { measure "$1" "$RAYCTL" mirror -q --src-tls-verify=false "${DEST_FLAGS_RAYCTL[@]}" "$SRC" "docker://$PRIV/bench/big:v1"; }
skopeo_all() { measure "$1" skopeo copy -q --all --src-tls-verify=false "${DEST_FLAGS_SKOPEO[@]}" "$SRC" "docker://$PRIV/bench/big:v1"; }

for run in $(seq 1 "$RUNS"); do
  if (( run % 2 )); then order=(rayctl skopeo); else order=(skopeo rayctl); fi
  for tool in "${order[@]}"; do
    start_registry private "$PRIV_PORT" tls
    "${tool}_one" "$tool-fresh"
    "${tool}_one" "$tool-noop"
    start_registry private "$PRIV_PORT" tls
    "${tool}_all" "$tool-all"
  done
  echo "round $run done (order: ${order[*]})"
done

# sha256sum over the same bytes as one platform, as often as the copies ran.
for _ in $(seq 1 "$RUNS"); do measure sha256sum sha256sum "${AMD64_FILES[@]}"; done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$WORK" "$ONE_BYTES" "$RUNS" <<'PY'
import statistics, sys
work, one_bytes, runs = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def med(name, col):
    vals = [float(l.split()[col]) for l in open(f"{work}/{name}.txt")]
    return statistics.median(vals)
gib = one_bytes / 2**30
print(f"\none platform = {one_bytes / 2**20:.1f} MiB; medians of {runs} alternating runs each\n")
print(f"{'case':<28}{'rayctl wall':>12}{'skopeo wall':>12}{'ratio':>8}{'rayctl cpu':>12}{'skopeo cpu':>12}{'ratio':>8}")
for case, label in (("fresh", "fresh copy, one platform"), ("noop", "no-op re-run"), ("all", "fresh copy, all platforms")):
    rw, sw = med(f"rayctl-{case}", 0), med(f"skopeo-{case}", 0)
    rc, sc = med(f"rayctl-{case}", 1), med(f"skopeo-{case}", 1)
    print(f"{label:<28}{rw:>11.2f}s{sw:>11.2f}s{rw / sw:>8.2f}{rc:>11.2f}s{sc:>11.2f}s{rc / max(sc, 1e-9):>8.2f}")
shacpu = med("sha256sum", 1)
rc = med("rayctl-fresh", 1)
sc = med("skopeo-fresh", 1)
print(f"\nclient CPU per GiB (one platform): rayctl {rc / gib:.2f} s, skopeo {sc / gib:.2f} s, "
      f"sha256sum {shacpu / gib:.2f} s; rayctl/skopeo {rc / sc:.2f}, rayctl/sha256sum {rc / shacpu:.2f}")
PY
