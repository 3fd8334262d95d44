// Kennisbank calculators: runs Python (Pyodide) off the main thread, the
// worker's entry module. It speaks ../protocol.mjs with the page, and imports
// every module it needs from here, so they are all fetched at once.

import { ANSWER, CALL, READY, START, urlsFromName } from "../protocol.mjs";
import { ahead, compileAhead, startAhead, wasmUrl } from "./compile-ahead.mjs";
import { forget, keep, keptCopy } from "./kept-copies.mjs";
import { restore, SNAPSHOT_TYPE } from "./restore.mjs";
import { fail, python, runtime, settle } from "./start-report.mjs";

const PACKAGE = "kennisbank-calculators";
let starting = null;

// At once, from the worker's name: the loader, and what the browser kept; or
// Python itself, when the page asked for it as it created the worker.
function prepare() {
  const config = urlsFromName(self.name);
  if (!config) return; // started by something else: wait for "start"
  if (config.start) {
    starting ??= whenStarted(config); // which imports the loader and looks up the copies too
    return;
  }
  runtime(config.runtimeUrl).catch(() => {}); // a failure is reported when starting
  if (!config.snapshotUrl) return;
  const kept = keptCopy(wasmUrl(config.runtimeUrl));
  kept.then((copy) => copy && compileAhead(config.runtimeUrl, true, copy));
}

// {pyodide, path, keep}: `keep` lists what to keep for the next page load.
async function start({ runtimeUrl, lockfileUrl, snapshotUrl }) {
  if (typeof WebAssembly !== "object") throw new Error("WebAssembly is niet beschikbaar");
  startAhead({ runtimeUrl, snapshotUrl });
  const { loadPyodide, version } = await runtime(runtimeUrl);
  const options = {
    indexURL: new URL(".", runtimeUrl).href,
    // Python's output stays in the console, never in the page.
    stdout: () => {},
    stderr: (line) => console.warn(line),
  };
  if (snapshotUrl) {
    try {
      const pyodide = await restore(ahead.snapshot, loadPyodide, options, { lockfileUrl }, version);
      const file = await (await ahead.snapshot).placed;
      const wasm = [ahead.wasm, ahead.wasmFile, "application/wasm"];
      return { pyodide, path: "snapshot", keep: [wasm, [snapshotUrl, file, SNAPSHOT_TYPE]] };
    } catch (error) {
      // A new instance from scratch: never reuse one a failed restore touched.
      console.warn("Kennisbank: snapshot not usable, starting Python normally:", error);
      await forget(snapshotUrl); // nor a kept copy that failed
    }
  }
  const pyodide = await loadPyodide({ ...options, lockFileURL: lockfileUrl, packages: [PACKAGE] });
  return { pyodide, path: "fallback", keep: [] };
}

async function whenStarted(data) {
  try {
    const { pyodide, path, keep: copies } = await start(data);
    // calculators.web.handle(request_json) -> response_json is the only way in.
    python.handle = pyodide.pyimport("calculators.web").handle;
    settle({ type: READY, path });
    keepForNextTime(copies);
  } catch (error) {
    fail(error);
  }
}

// Kept for the next page load; the worker lets go of the files' bytes then.
async function keepForNextTime(copies) {
  const bodies = await Promise.allSettled(copies.map(([, body]) => body));
  const files = bodies.map((body) => (body.status === "fulfilled" ? body.value : null));
  try {
    await keep(copies.map(([url, , type], i) => [url, files[i], type]));
  } catch {
    // not kept: the next page load downloads again
  }
  ahead.wasmFile = null;
  for (const file of files) file?.buffer?.transfer?.(0);
}

function answer({ seq, request }) {
  let response = null;
  try {
    response = python.handle ? JSON.parse(python.handle(JSON.stringify(request))) : null;
  } catch (error) {
    console.warn("Kennisbank:", error);
  }
  self.postMessage({ type: ANSWER, seq, response });
}

self.addEventListener("message", ({ data }) => {
  if (data.type === START) starting ??= whenStarted(data);
  else if (data.type === CALL) answer(data);
});

prepare();
