// How the page's glue (calculator.mjs) and the worker that runs Python
// (worker/worker.mjs) talk; both import this, so the shapes live here only.
//
//   worker name     workerName({runtimeUrl, lockfileUrl, snapshotUrl?, start?}): what to
//                   prepare as soon as the worker runs (a message would wait for the
//                   page's main thread, which is busy while the page loads); `start`:
//                   Python is wanted already, start it without waiting for START
//                   (which a worker still booting gets late)
//   page -> worker  {type: START, runtimeUrl, lockfileUrl, snapshotUrl?}   start Python
//   worker -> page  {type: PROGRESS, loaded, total}   bytes fetched (total 0: unknown)
//   worker -> page  {type: READY, path: "snapshot" | "fallback"} | {type: FAILED, message}
//   page -> worker  {type: CALL, seq, request}   request: see calculators.web.handle
//   worker -> page  {type: ANSWER, seq, response}   response: parsed JSON (null on failure)
export const START = "start";
export const PROGRESS = "progress";
export const READY = "ready";
export const FAILED = "failed";
export const CALL = "call";
export const ANSWER = "answer";

// The worker's name carries the URLs; none for a worker started by something else.
export const workerName = (urls) => JSON.stringify(urls);
export function urlsFromName(name) {
  try {
    const urls = JSON.parse(name || "null");
    return urls?.runtimeUrl ? urls : null;
  } catch {
    return null;
  }
}

// Where the page says Python is live or could not start, for Material's search
// (workers/search-after-python.js, a classic worker, cannot import this: it spells it).
export const PYTHON_CHANNEL = "kennisbank-python";
