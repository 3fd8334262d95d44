// The page's side of Python: the worker, its start-up, the watchdog and call()
// (SPEC §5.11). What the reader sees of it is live.mjs's job.

import * as message from "./protocol.mjs";

// No word from the worker for this long while starting means Python is not
// coming. Every progress message resets it, so a slow line is not a failure;
// a "ready" after it fired still makes the calculators live.
const WATCHDOG_MS = 30_000;

// `changed(progressOnly)` is told of every new state and every progress message.
export const runtime = { state: "idle", loaded: 0, total: 0, changed: () => {} };
let worker = null;
let watchdog = 0;
let seq = 0;
const pending = new Map(); // seq -> resolve(response | null)
const waiting = []; // call()s made while Python starts

// Where things live comes from the page (the build knows the hashed names);
// after instant navigation, from the new page's copy of the script tag.
function runtimeConfig() {
  const config = document.querySelector("script[data-kb-runtime]");
  const url = (value) => new URL(value, document.baseURI).href;
  return {
    workerUrl: url(config.dataset.kbWorker),
    runtimeUrl: url(config.dataset.kbRuntime),
    lockfileUrl: url(config.dataset.kbLockfile),
    snapshotUrl: config.dataset.kbSnapshot && url(config.dataset.kbSnapshot),
  };
}

// The worker starts as soon as the glue runs (only pages with a calculator load
// it), and prepares from its name (see protocol.mjs): it fetches Pyodide's small
// loader, and compiles the runtime only if the browser kept it from an earlier
// visit. The runtime is not downloaded before startPython(); when that is what
// creates the worker, its name tells it to start at once.
export function createWorker(start = false) {
  if (worker || typeof WebAssembly !== "object") return worker;
  const { workerUrl, ...urls } = runtimeConfig();
  try {
    const name = message.workerName({ ...urls, start });
    worker = new Worker(workerUrl, { type: "module", name });
  } catch {
    return null; // module workers unsupported: startPython() reports failure
  }
  worker.addEventListener("message", onMessage);
  // A worker file that cannot load or crashes: Python is not coming.
  worker.addEventListener("error", () => setRuntime("error", "the worker failed"));
  return worker;
}

export function startPython() {
  if (runtime.state !== "idle") return;
  runtime.state = "loading";
  if (!createWorker(true)) return setRuntime("error", "no WebAssembly or module workers");
  armWatchdog();
  const { runtimeUrl, lockfileUrl, snapshotUrl } = runtimeConfig();
  worker.postMessage({ type: message.START, runtimeUrl, lockfileUrl, snapshotUrl });
}

function armWatchdog() {
  clearTimeout(watchdog);
  watchdog = setTimeout(() => setRuntime("error", "no word from the worker"), WATCHDOG_MS);
}

function onMessage({ data }) {
  if (data.type === message.PROGRESS) {
    if (runtime.state !== "loading") return;
    armWatchdog();
    Object.assign(runtime, { loaded: data.loaded, total: data.total });
    runtime.changed(true);
  } else if (data.type === message.READY) {
    setRuntime("ready");
  } else if (data.type === message.FAILED) {
    runtime.failed = true;
    setRuntime("error", data.message);
  } else if (data.type === message.ANSWER) {
    pending.get(data.seq)?.(data.response);
    pending.delete(data.seq);
  }
}

function setRuntime(state, why = "") {
  clearTimeout(watchdog);
  if (runtime.state === state || (state === "ready" && runtime.failed)) return;
  if (why) console.warn("Kennisbank: Python kon niet starten:", why);
  runtime.state = state;
  if (state === "error") {
    for (const resolve of pending.values()) resolve(null);
    pending.clear();
  }
  for (const resolve of waiting.splice(0)) resolve();
  runtime.changed(false);
  // Material's search index waits for Python on this page.
  if (typeof BroadcastChannel !== "function") return;
  const channel = new BroadcastChannel(message.PYTHON_CHANNEL);
  channel.postMessage(runtime.state);
  channel.close();
}

// Python's answer to one request (calculators.web.handle), or null when
// Python is not available. Waits while Python starts.
export async function call(request) {
  startPython();
  if (runtime.state === "loading") await new Promise((resolve) => waiting.push(resolve));
  if (runtime.state !== "ready") return null;
  return new Promise((resolve) => {
    const id = ++seq;
    pending.set(id, resolve);
    worker.postMessage({ type: message.CALL, seq: id, request });
  });
}
