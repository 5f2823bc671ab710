// Loading the vendored TensorFlow.js and starting a backend, the same way in a page and in a module worker: the
// views' runtime (index.js), the Playground's worker and any other worker call startTensorFlow with the URL of the
// vendor folder the site names (gandemo/ui/browser.py's VENDOR), so no file here names a version.

/** A classic script, once per page (a script tag already there, loaded, counts). */
function loadScript(src) {
  const found = [...document.scripts].find((s) => s.src === new URL(src, location.href).href);
  if (found && found.dataset.loaded) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const script = found || document.createElement("script");
    script.addEventListener("load", () => ((script.dataset.loaded = "1"), resolve()));
    script.addEventListener("error", () => reject(new Error(`could not load ${src}`)));
    if (!found) {
      script.src = src;
      document.head.appendChild(script);
    }
  });
}

// (a module worker has no importScripts: the scripts' global build, imported, sets globalThis.tf as a tag does)
const load = (src) => (typeof document === "undefined" ? import(src) : loadScript(src));

const started = new Map(); // vendor folder + backends -> Promise of tf: each loaded and started once
let wasmFrom = null; // the folder the wasm backend reads its binaries from (set once per global, before it starts)

/**
 * Load TensorFlow.js from `vendor` (a folder URL) and start the first of `backends` that starts: "wasm" (SIMD; its
 * threaded build where the page is cross-origin isolated and it would run 2 threads or more) or "cpu". Resolves
 * to the `tf` namespace; rejects when none starts (a warning names why wasm did not, when cpu took over).
 * `threads`: the threaded build's threads (0: TensorFlow.js's own choice), set by the first start in a realm.
 * @param {string} vendor
 * @param {string[]} [backends]
 * @param {{ threads?: number }} [options]
 * @returns {Promise<any>}
 */
export function startTensorFlow(vendor, backends = ["wasm", "cpu"], { threads = 0 } = {}) {
  const base = vendor.replace(/\/?$/, "/");
  const key = `${base} ${backends.join(" ")}`;
  if (!started.has(key)) {
    const starting = start(base, backends, threads);
    starting.catch(() => started.delete(key)); // a failed load may be retried
    started.set(key, starting);
  }
  return started.get(key);
}

async function start(base, backends, threads) {
  if (typeof WebAssembly !== "object") throw new Error("this browser has no WebAssembly");
  await load(base + "tf-core.min.js");
  const tf = /** @type {any} */ (globalThis).tf;
  let why = null;
  for (const name of backends) {
    try {
      await load(base + (name === "wasm" ? "tf-backend-wasm.min.js" : `tf-backend-${name}.min.js`));
      if (name === "wasm" && wasmFrom === null) {
        tf.wasm.setWasmPaths(base);
        if (threads) tf.wasm.setThreadsCount(threads); // (used only where the page is cross-origin isolated)
        // the threaded build starts 8 idle workers in each page or worker that runs it: only where it would run 2
        // threads or more (TensorFlow.js allows it half the logical cores), else the single-thread build
        const most = Math.floor(((typeof navigator === "object" && navigator.hardwareConcurrency) || 1) / 2);
        if (Math.min(threads || most, most) < 2) tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
        wasmFrom = base;
      }
      if (!(await tf.setBackend(name))) throw new Error(`the ${name} backend did not start`);
      await tf.ready();
      if (why) console.warn(`gandemo: TensorFlow.js runs on ${name}:`, why);
      return tf;
    } catch (error) {
      why ||= error;
    }
  }
  throw why;
}
