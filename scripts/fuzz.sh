#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz in build-fuzz (Clang, ASan + UBSan) and runs each for
# SECONDS (default 180) from a seed corpus made of the chart fixtures. Findings land in
# build-fuzz/findings/. Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-180}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(fuzz_template fuzz_yaml fuzz_strvals fuzz_printf fuzz_version_range fuzz_chart
  fuzz_tar)
BUILD=${BUILD_DIR:-build-fuzz}
CC=${CC:-clang-14} CXX=${CXX:-clang++-14} cmake -S . -B "$BUILD" -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRAYCTL_BUILD_FUZZERS=ON -DRAYCTL_BUILD_TESTS=OFF >/dev/null
ninja -C "$BUILD" -j "${JOBS:-2}" "${TARGETS[@]}"

FIX=tests/fixtures/charts
copy_numbered() {  # copy_numbered DIR FILE...: copies under unique names
  local dir=$1 i=0 f
  shift
  for f in "$@"; do
    i=$((i + 1))
    cp "$f" "$dir/$i-$(basename "$f")"
  done
}

seeds() {  # seeds TARGET DIR
  local dir=$2
  mkdir -p "$dir"
  case $1 in
    fuzz_template)
      mapfile -t files < <(find "$FIX" charts -path '*/templates/*' -type f -size -4k)
      copy_numbered "$dir" "${files[@]}" ;;
    fuzz_yaml)
      mapfile -t files < <(find "$FIX" charts -name '*.yaml' -size -8k)
      copy_numbered "$dir" "${files[@]}" ;;
    fuzz_strvals)
      printf '%s' 'a.b=1,c[0]=x,d={p,q}' >"$dir/1"
      printf '%s' 'name=a\,b,list[2].x=null,m.k\.e\.y=true' >"$dir/2"
      printf '%s' 'j={"a":[1,2,{"b":null}]}' >"$dir/3" ;;
    fuzz_printf)
      printf '%s' '%s %d %v %q %x %5.2f %-8s|%+v %#v %T %[2]*[1]d %!' >"$dir/1"
      printf '%s' '%08.3e %g %G %t %c %U %o %b %%' >"$dir/2" ;;
    fuzz_version_range)
      printf '%s' $'>=1.23.0-0\nv1.36.0' >"$dir/1"
      printf '%s' $'~1.2 || ^2.0.0-rc.1, != 2.1.x\n2.0.1+build' >"$dir/2"
      printf '%s' $'*.yaml\ntemplates/a.yaml' >"$dir/3" ;;
    fuzz_chart)
      mapfile -t files < <(find "$FIX" -name '*.tgz')
      copy_numbered "$dir" "${files[@]}"
      for c in "$FIX"/*/Chart.yaml charts/*/Chart.yaml; do
        local d
        d=$(dirname "$c")
        tar -czf "$dir/$(basename "$d").tgz" -C "$(dirname "$d")" "$(basename "$d")"
      done ;;
    fuzz_tar)  # a leading even byte: the rest is tar data (see fuzz_tar.cpp)
      local format
      for format in gnu pax ustar v7; do
        { printf '\0'; tar --format=$format -cf - -C "$FIX/demo" Chart.yaml values.yaml templates; } \
          >"$dir/$format.tar" 2>/dev/null
      done
      { printf '\1'; cat "$(find "$FIX" -name '*.tgz' | head -1)"; } >"$dir/packed.tgz" ;;
  esac
}

mkdir -p "$BUILD/findings"
for t in "${TARGETS[@]}"; do
  corpus="$BUILD/corpus/$t"
  [ -d "$corpus" ] || seeds "$t" "$corpus"
  echo "== $t for ${SECONDS_EACH}s"
  "$BUILD/bin/$t" "$corpus" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
    -malloc_limit_mb=1024 -artifact_prefix="$BUILD/findings/$t-" -print_final_stats=1 2>&1 |
    grep -E '^(#[0-9]+ *DONE|stat::|==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written)' || true
done
