// What the page hears while Python starts: bytes fetched, then once "ready" or "failed".
// Pyodide does not always reject when it fails: a .wasm that does not compile (404, wrong
// Content-Type, truncated, a CSP without 'wasm-unsafe-eval') is only logged, and loadPyodide()
// never settles. Failures seen here are reported as "failed"; the page's watchdog covers the rest.

import { FAILED, PROGRESS } from "../protocol.mjs";

let settled = false;

export function settle(message) {
  if (settled) return;
  settled = true;
  self.postMessage(message);
}

export const fail = (error) => settle({ type: FAILED, message: String(error?.message ?? error) });

// Bytes of the runtime fetched so far (Pyodide fetches the wasm, the standard
// library, the lock file and the wheel through fetch). A clone is counted so the
// original response, URL and all, goes to the wasm compiler and its code cache.
// The total is only known while no response is compressed (its length says
// nothing about the bytes it unpacks to) and every request has its headers.
const bytes = { loaded: 0, total: 0, unknown: false, asking: 0, sent: 0 };

// Also at each step of the start (a download done, the wasm compiled, an
// attempt begun), so the page's watchdog hears from us while no bytes flow.
export function report(step = false) {
  const now = performance.now();
  if (settled || (!step && now - bytes.sent < 50)) return; // often enough for a bar
  bytes.sent = now;
  const total = bytes.unknown || bytes.asking ? 0 : bytes.total;
  self.postMessage({ type: PROGRESS, loaded: bytes.loaded, total });
}

async function count(response) {
  const length = Number(response.headers.get("Content-Length"));
  if (!length || response.headers.has("Content-Encoding")) bytes.unknown = true;
  else bytes.total += length;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return report(true);
    bytes.loaded += value.byteLength;
    report();
  }
}

const realFetch = self.fetch.bind(self);

export async function download(...args) {
  bytes.asking += 1;
  try {
    const response = await realFetch(...args);
    // Only the site's own files: not the data: URLs the worker fetches itself.
    const download = response.ok && response.body && response.url.startsWith(location.origin);
    if (download && !settled) count(response.clone()).catch(() => {});
    return response;
  } finally {
    bytes.asking -= 1;
  }
}

// `handle` is Python's calculators.web.handle once started: failures after
// that are not the start's.
export const python = { handle: null };
let loader = null; // import() of pyodide.mjs: 18 kB that fetches nothing by itself

// Pyodide's module, with a loadPyodide() that also rejects when Pyodide
// swallows the failure: each call is one attempt, and a failure seen below ends
// the attempt under way (so a failed restore can still fall back).
let swallowed = null; // reject() of the attempt under way

export function runtime(runtimeUrl) {
  loader ??= import(runtimeUrl).then((module) => ({
    ...module,
    loadPyodide: (options) =>
      new Promise((resolve, reject) => {
        swallowed = reject;
        report(true);
        module.loadPyodide(options).then(resolve, reject);
      }),
  }));
  return loader;
}

export function swallow(error) {
  if (python.handle) return;
  if (swallowed) swallowed(error);
  else fail(error);
}

// A failed compile of the runtime: Pyodide only logs it.
export function watched(result) {
  result.then(() => report(true), swallow);
  return result;
}

// Other start-up failures Pyodide only reports as an unhandled rejection.
self.addEventListener("unhandledrejection", (event) => {
  if (python.handle) return;
  event.preventDefault();
  swallow(event.reason);
});
