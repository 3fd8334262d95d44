// Kennisbank calculators: runs Python (Pyodide) off the main thread.
//
// Protocol (postMessage):
//   page -> worker  {type: "prepare", runtimeUrl}   fetch Pyodide's small loader module
//   page -> worker  {type: "start", runtimeUrl, lockfileUrl, snapshotUrl?}   start Python
//   worker -> page  {type: "progress", loaded, total}   bytes fetched (total 0: unknown)
//   worker -> page  {type: "ready", path: "snapshot" | "fallback"} | {type: "failed", message}
//   page -> worker  {type: "call", seq, request}   request: see calculators.web.handle
//   worker -> page  {type: "answer", seq, response}   response: parsed JSON (null on failure)
//
// Pyodide does not always reject when it fails: a .wasm that does not compile
// (404, wrong Content-Type, truncated, a CSP without 'wasm-unsafe-eval') is only
// logged and loadPyodide() never settles. So every failure we can see is turned
// into "failed" here, and the page keeps a watchdog for what we cannot see.

const PACKAGE = "kennisbank-calculators";
let handle = null; // Python's calculators.web.handle once started
let starting = null;
let loader = null; // import() of pyodide.mjs: 18 kB that fetches nothing by itself
let settled = false; // "ready" or "failed" was sent

// -- Start-up (what happens inside start()) ----------------------------------------

// The build's snapshot file: "KBSNAP01", a 4-byte header length, a JSON header
// (the calculators' sources, the Pyodide version, a SHA-256) and Pyodide's own
// memory snapshot (hooks/pyodide_snapshot.py).
const MAGIC = "KBSNAP01";
// An empty zip: a restored Python has imported all it needs, so the 2.5 MB
// standard library is not fetched; it is still there, fetched only if read.
const EMPTY_ZIP = "data:application/zip;base64,UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==";

// A snapshot that restored well is kept in Cache Storage: a full load of the next
// page restores without asking the server (the browser's HTTP cache may not keep
// a file this large). Its URL names its content, so a kept copy is never stale.
const CACHE = "kennisbank-snapshot";

async function openCache() {
  try {
    return await self.caches.open(CACHE);
  } catch {
    return null; // no Cache Storage (not a secure context, say): the HTTP cache it is
  }
}

async function keep(url, bytes) {
  const cache = await openCache();
  if (!cache || (await cache.match(url))) return;
  await cache.put(url, new Response(bytes));
  for (const request of await cache.keys()) {
    if (request.url !== url) await cache.delete(request); // an older build's
  }
}

async function fetchSnapshot(url, version) {
  const cache = await openCache();
  const kept = await cache?.match(url);
  const response = kept ?? (await fetch(url));
  if (!response.ok) throw new Error(`snapshot: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const magic = new TextDecoder().decode(bytes.subarray(0, 8));
  if (magic !== MAGIC) throw new Error("snapshot: unknown format");
  const length = new DataView(bytes.buffer).getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + length)));
  if (header.pyodide !== version) throw new Error(`snapshot: made for Pyodide ${header.pyodide}`);
  const memory = bytes.subarray(12 + length);
  // A kept copy was checked before it was kept; a download is checked now.
  if (!kept) {
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", memory));
    const hex = Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
    if (hex !== header.sha256) throw new Error("snapshot: damaged (SHA-256 differs)");
  }
  return { bytes, files: header.files, memory };
}

// The same files in the same place as when the snapshot was made
// (hooks/make_snapshot.mjs); the standard library as a file read on demand.
function fsInit(snapshot, stdlibUrl) {
  return async (FS, { sitePackages }) => {
    const { files } = await snapshot;
    for (const [name, text] of Object.entries(files)) {
      FS.mkdirTree(`${sitePackages}/${name}`.replace(/\/[^/]*$/, ""));
      FS.writeFile(`${sitePackages}/${name}`, text);
    }
    // Pyodide writes the (empty) zip when its download settles: wait for that,
    // then put the real one in its place, read through only if Python reads it.
    const zip = sitePackages.replace(/^\/lib\/python(\d+)\.(\d+)\/.*$/, "/lib/python$1$2.zip");
    for (let tries = 0; !FS.analyzePath(zip).exists && tries < 100; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    if (FS.analyzePath(zip).exists) FS.unlink(zip);
    FS.createLazyFile("/lib", zip.slice("/lib/".length), stdlibUrl, true, false);
  };
}

async function restore(loadPyodide, options, { snapshotUrl, lockfileUrl }, version) {
  const snapshot = fetchSnapshot(snapshotUrl, version);
  const memory = snapshot.then((s) => s.memory);
  // Pyodide may give up on these before awaiting them; the caller sees the failure.
  memory.catch(() => {});
  const pyodide = await loadPyodide({
    ...options,
    lockFileURL: lockfileUrl,
    stdLibURL: EMPTY_ZIP,
    fsInit: fsInit(snapshot, new URL("python_stdlib.zip", options.indexURL).href),
    _loadSnapshot: memory,
  });
  // Every reader would otherwise draw the same "random" numbers.
  pyodide.runPython("import random; random.seed()");
  // A restored state that is not what we made is no use: check before trusting it.
  const check = pyodide.runPython(
    "import calculators, json; json.dumps(sorted(calculators.registry))",
  );
  if (!JSON.parse(check).length) throw new Error("snapshot: no calculators");
  snapshot.then(({ bytes }) => keep(snapshotUrl, bytes)).catch(() => {});
  return pyodide;
}

async function start({ runtimeUrl, lockfileUrl, snapshotUrl }) {
  if (typeof WebAssembly !== "object") {
    throw new Error("WebAssembly is niet beschikbaar");
  }
  const { loadPyodide, version } = await runtime(runtimeUrl);
  const options = {
    indexURL: new URL(".", runtimeUrl).href,
    // Python's output stays in the console, never in the page.
    stdout: () => {},
    stderr: (line) => console.warn(line),
  };
  if (snapshotUrl) {
    try {
      const urls = { snapshotUrl, lockfileUrl };
      return { pyodide: await restore(loadPyodide, options, urls, version), path: "snapshot" };
    } catch (error) {
      // A new instance from scratch: never reuse one a failed restore touched.
      console.warn("Kennisbank: snapshot not usable, starting Python normally:", error);
      await (await openCache())?.delete(snapshotUrl); // nor a kept copy that failed
    }
  }
  const pyodide = await loadPyodide({
    ...options,
    lockFileURL: lockfileUrl,
    packages: [PACKAGE],
  });
  return { pyodide, path: "fallback" };
}

// -- Entry point, progress and failure ------------------------------------------------

// calculators.web.handle(request_json) -> response_json is the only way in.
const ENTRY = "from calculators.web import handle as _kennisbank_handle";

function settle(message) {
  if (settled) return;
  settled = true;
  self.postMessage(message);
}

function fail(error) {
  settle({ type: "failed", message: String(error?.message ?? error) });
}

// Bytes of the runtime fetched so far (Pyodide fetches the wasm, the standard
// library, the lock file and the wheel through fetch). A clone is counted so the
// original response, URL and all, goes to the wasm compiler and its code cache.
// The total is only known while no response is compressed (its length says
// nothing about the bytes it unpacks to) and every request has its headers.
const bytes = { loaded: 0, total: 0, unknown: false, asking: 0, sent: 0 };

function report() {
  const now = performance.now();
  if (settled || now - bytes.sent < 50) return; // often enough to move a bar
  bytes.sent = now;
  const total = bytes.unknown || bytes.asking ? 0 : bytes.total;
  self.postMessage({ type: "progress", loaded: bytes.loaded, total });
}

async function count(response) {
  const length = Number(response.headers.get("Content-Length"));
  if (!length || response.headers.has("Content-Encoding")) bytes.unknown = true;
  else bytes.total += length;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    bytes.loaded += value.byteLength;
    report();
  }
}

const realFetch = self.fetch.bind(self);
self.fetch = async (...args) => {
  bytes.asking += 1;
  try {
    const response = await realFetch(...args);
    const download = response.ok && response.body && response.url.startsWith("http");
    if (download && !settled) count(response.clone()).catch(() => {});
    return response;
  } finally {
    bytes.asking -= 1;
  }
};

// Pyodide's module, with a loadPyodide() that also rejects when Pyodide
// swallows the failure: each call is one attempt, and a failure seen below ends
// the attempt under way (so a failed restore can still fall back).
let swallowed = null; // reject() of the attempt under way

function runtime(runtimeUrl) {
  loader ??= import(runtimeUrl).then((module) => ({
    ...module,
    loadPyodide: (options) =>
      new Promise((resolve, reject) => {
        swallowed = reject;
        module.loadPyodide(options).then(resolve, reject);
      }),
  }));
  return loader;
}

function swallow(error) {
  if (handle) return;
  if (swallowed) swallowed(error);
  else fail(error);
}

// A failed compile of the runtime: Pyodide only logs it.
for (const name of ["instantiate", "instantiateStreaming"]) {
  const original = self.WebAssembly?.[name];
  if (!original) continue;
  WebAssembly[name] = function (...args) {
    const result = original.apply(this, args);
    result.catch(swallow);
    return result;
  };
}

// Other start-up failures Pyodide only reports as an unhandled rejection.
self.addEventListener("unhandledrejection", (event) => {
  if (handle) return;
  event.preventDefault();
  swallow(event.reason);
});

async function whenStarted(data) {
  try {
    const { pyodide, path } = await start(data);
    pyodide.runPython(ENTRY);
    handle = pyodide.globals.get("_kennisbank_handle");
    settle({ type: "ready", path });
  } catch (error) {
    fail(error);
  }
}

function answer({ seq, request }) {
  let response = null;
  try {
    response = handle ? JSON.parse(handle(JSON.stringify(request))) : null;
  } catch (error) {
    console.warn("Kennisbank:", error);
  }
  self.postMessage({ type: "answer", seq, response });
}

self.addEventListener("message", ({ data }) => {
  if (data.type === "prepare") {
    runtime(data.runtimeUrl).catch(() => {}); // a failure is reported when starting
  } else if (data.type === "start") {
    starting ??= whenStarted(data);
  } else if (data.type === "call") {
    answer(data);
  }
});
