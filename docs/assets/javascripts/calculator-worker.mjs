// Kennisbank calculators: runs Python (Pyodide) off the main thread.
//
// Protocol (postMessage):
//   page -> worker  {type: "prepare", runtimeUrl}   fetch Pyodide's small loader module
//   page -> worker  {type: "start", runtimeUrl, lockfileUrl}   start Python
//   worker -> page  {type: "ready"} | {type: "failed", message}
//   page -> worker  {type: "compute", seq, calculator, inputs}
//   worker -> page  {type: "result", seq, result} | {type: "result", seq, error}
// `result` is `calculators.compute(...).to_dict()`, exactly as in CPython.

const PACKAGE = "kennisbank-calculators";
let computeJson = null;
let starting = null;
let loader = null; // import() of pyodide.mjs: 18 kB that fetches nothing by itself

async function start({ runtimeUrl, lockfileUrl }) {
  if (typeof WebAssembly !== "object") {
    throw new Error("WebAssembly is niet beschikbaar");
  }
  loader ??= import(runtimeUrl);
  const { loadPyodide } = await loader;
  const pyodide = await loadPyodide({
    indexURL: new URL(".", runtimeUrl).href,
    lockFileURL: lockfileUrl,
    packages: [PACKAGE],
    // Python's output stays in the console, never in the page.
    stdout: () => {},
    stderr: (line) => console.warn(line),
  });
  pyodide.runPython(`
import json
from calculators import compute

def _kennisbank_compute(calculator_id, inputs_json):
    return json.dumps(compute(calculator_id, json.loads(inputs_json)).to_dict())
`);
  computeJson = pyodide.globals.get("_kennisbank_compute");
}

// Pyodide reports some start-up failures (a blocked .wasm download, say) only
// as an unhandled rejection; while starting, that means Python is not coming.
self.addEventListener("unhandledrejection", (event) => {
  if (computeJson) return;
  event.preventDefault();
  self.postMessage({ type: "failed", message: String(event.reason?.message ?? event.reason) });
});

self.addEventListener("message", async ({ data }) => {
  if (data.type === "prepare") {
    loader ??= import(data.runtimeUrl);
    loader.catch(() => {}); // a failure is reported when starting
  } else if (data.type === "start") {
    starting ??= start(data);
    try {
      await starting;
      self.postMessage({ type: "ready" });
    } catch (error) {
      self.postMessage({ type: "failed", message: String(error && error.message || error) });
    }
  } else if (data.type === "compute") {
    try {
      const json = computeJson(data.calculator, JSON.stringify(data.inputs));
      self.postMessage({ type: "result", seq: data.seq, result: JSON.parse(json) });
    } catch (error) {
      self.postMessage({ type: "result", seq: data.seq, error: String(error && error.message || error) });
    }
  }
});
