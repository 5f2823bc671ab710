#!/usr/bin/env bash
# Refresh the vendored TensorFlow.js from npm at the pinned version: bash gandemo/web/vendor/refresh.sh [VERSION]
# The app serves these files itself, so `python app.py` works offline and a Space needs only `pip install`.
set -euo pipefail
version="${1:-4.22.0}"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund \
  "@tensorflow/tfjs-core@$version" "@tensorflow/tfjs-backend-cpu@$version" "@tensorflow/tfjs-backend-wasm@$version")
out="$here/tfjs-$version"
rm -rf "$out" && mkdir -p "$out"
modules="$work/node_modules/@tensorflow"
cp "$modules/tfjs-core/dist/tf-core.min.js" "$modules/tfjs-backend-cpu/dist/tf-backend-cpu.min.js" \
  "$modules/tfjs-backend-wasm/dist/tf-backend-wasm.min.js" "$modules/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm" \
  "$modules/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm" "$out/"
# (the threaded wasm needs a cross-origin-isolated page, which neither a Space nor a static host gives: left out)
cp "$here/LICENSE-tfjs" "$out/LICENSE"
echo "$version" > "$out/VERSION"
echo "vendored TensorFlow.js $version into $out"
