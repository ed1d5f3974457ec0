#!/usr/bin/env bash
# The quick start: install dependencies, build, and run rayctl's main job on this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
bash scripts/build.sh >/dev/null
RAYCTL=build/bin/rayctl
echo "\$ rayctl doctor"
"$RAYCTL" doctor
