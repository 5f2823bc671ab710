#!/usr/bin/env bash
# Refresh the vendored JavaScript from npm at the pinned versions: bash gandemo/web/vendor/refresh.sh
# (TFJS_VERSION=... KATEX_VERSION=... to change a pin; gandemo/ui/browser.py names the folders it serves).
# The app serves these files itself, so `python app.py` works offline and a Space needs only `pip install`;
# the static edition (python -m gandemo.static) copies them.
set -euo pipefail
tfjs="${TFJS_VERSION:-4.22.0}"
katex="${KATEX_VERSION:-0.16.22}"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund \
  "@tensorflow/tfjs-core@$tfjs" "@tensorflow/tfjs-backend-cpu@$tfjs" "@tensorflow/tfjs-backend-wasm@$tfjs" \
  "katex@$katex")

# TensorFlow.js: the models' arithmetic (wasm backend, cpu as the fallback)
out="$here/tfjs-$tfjs"
rm -rf "$out" && mkdir -p "$out"
modules="$work/node_modules/@tensorflow"
cp "$modules/tfjs-core/dist/tf-core.min.js" "$modules/tfjs-backend-cpu/dist/tf-backend-cpu.min.js" \
  "$modules/tfjs-backend-wasm/dist/tf-backend-wasm.min.js" "$modules/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm" \
  "$modules/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm" \
  "$modules/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm" "$out/"
# (the threaded build runs where the page is cross-origin isolated: the app and the static server send the headers)
cp "$here/LICENSE-tfjs" "$out/LICENSE"
echo "$tfjs" > "$out/VERSION"
echo "vendored TensorFlow.js $tfjs into $out"

# KaTeX: the static edition's formulas, written as MathML (no fonts or CSS needed; the Gradio app has its own)
out="$here/katex-$katex"
rm -rf "$out" && mkdir -p "$out"
cp "$work/node_modules/katex/dist/katex.min.js" "$work/node_modules/katex/LICENSE" "$out/"
echo "$katex" > "$out/VERSION"
echo "vendored KaTeX $katex into $out"
