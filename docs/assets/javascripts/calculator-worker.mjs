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

// The build's snapshot file: "KBSNAP02", a 4-byte header length, a JSON header
// (the calculators' sources, the Pyodide version, a SHA-256, where the stored
// runs of 4 kB pages go) and the non-zero pages of Pyodide's own memory
// snapshot (hooks/pyodide_snapshot.py).
const MAGIC = "KBSNAP02";
const PAGE = 4096;
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

async function fetchSnapshot(url) {
  const kept = await (await openCache())?.match(url);
  const response = kept ?? (await fetch(url));
  if (!response.ok) throw new Error(`snapshot: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const magic = new TextDecoder().decode(bytes.subarray(0, 8));
  if (magic !== MAGIC) throw new Error("snapshot: unknown format");
  const length = new DataView(bytes.buffer).getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + length)));
  const stored = bytes.subarray(12 + length);
  // A kept copy was checked before it was kept; a download is checked now.
  if (!kept) {
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", stored));
    const hex = Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
    if (hex !== header.sha256) throw new Error("snapshot: damaged (SHA-256 differs)");
  }
  // Pyodide's snapshot with its zero pages back.
  const memory = new Uint8Array(header.length);
  let at = 0;
  for (const [first, count] of header.runs) {
    memory.set(stored.subarray(at, at + count * PAGE), first * PAGE);
    at += count * PAGE;
  }
  if (at !== stored.length) throw new Error("snapshot: stored pages do not match the header");
  return { bytes, version: header.pyodide, files: header.files, pages: header.pages, memory };
}

// The build left out memory pages that a freshly instantiated runtime already
// holds (hooks/make_snapshot.mjs). Pyodide restores with `HEAP8.set(snapshot)`;
// just before, those pages are copied from the fresh memory into the snapshot,
// and checked: a runtime whose memory differs makes the restore fail (normal start).
function fnv1a(hash, bytes) {
  for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193) >>> 0;
  return hash;
}

async function withPagesFilledIn(snapshot, run) {
  let found = null; // the snapshot, once downloaded: Pyodide restores only after that
  snapshot.then((value) => (found = value)).catch(() => {});
  let filled = false;
  const set = Int8Array.prototype.set;
  Int8Array.prototype.set = function (source, offset) {
    if (found && source?.buffer === found.memory.buffer) {
      const { size, pages, checksum } = found.pages;
      const fresh = new Uint8Array(this.buffer);
      let hash = 0x811c9dc5;
      for (const page of pages) {
        const bytes = fresh.subarray(page * size, (page + 1) * size);
        hash = fnv1a(hash, bytes);
        source.set(bytes, page * size);
      }
      if (hash !== checksum) throw new Error("snapshot: this runtime's memory differs");
      filled = true;
    }
    return set.call(this, source, offset);
  };
  try {
    const pyodide = await run();
    if (!filled) throw new Error("snapshot: left-out pages not restored");
    return pyodide;
  } finally {
    Int8Array.prototype.set = set;
  }
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

// fn(module) with a Python module, whose proxy is released afterwards.
function pythonCall(pyodide, name, fn) {
  const module = pyodide.pyimport(name);
  try {
    return fn(module);
  } finally {
    module.destroy();
  }
}

async function restore(loadPyodide, options, { snapshotUrl, lockfileUrl }, version) {
  const snapshot = ahead.snapshot.then((found) => {
    if (found.version !== version) throw new Error(`snapshot: made for Pyodide ${found.version}`);
    return found;
  });
  const memory = snapshot.then((s) => s.memory);
  // Pyodide may give up on these before awaiting them; the caller sees the failure.
  memory.catch(() => {});
  const load = () =>
    loadPyodide({
      ...options,
      lockFileURL: lockfileUrl,
      stdLibURL: EMPTY_ZIP,
      fsInit: fsInit(snapshot, new URL("python_stdlib.zip", options.indexURL).href),
      _loadSnapshot: memory,
    });
  const pyodide = await withPagesFilledIn(snapshot, load);
  // Python's functions are called, no source is run: a restored Python needs
  // no compiler. Every reader would otherwise draw the same "random" numbers.
  pythonCall(pyodide, "random", (random) => random.seed());
  // A restored state that is not what we made is no use: check before trusting it.
  const found = pythonCall(pyodide, "calculators", (calculators) => calculators.registry.length);
  if (!found) throw new Error("snapshot: no calculators");
  // Pyodide's config keeps a reference to the 31 MB it has copied by now, and
  // `ahead` one to the file: detach both (the file once kept) so the worker
  // does not hold Python's memory twice.
  const { bytes, memory: copied } = await snapshot;
  copied.buffer.transfer?.(0);
  keep(snapshotUrl, bytes)
    .catch(() => {})
    .finally(() => bytes.buffer.transfer?.(0));
  return pyodide;
}

// What Pyodide would do one after the other starts side by side here, as soon
// as Python is asked for: its JavaScript imported, its wasm compiled (from V8's
// code cache on a return visit) and the snapshot read. Pyodide's own request
// for the wasm then gets the module compiled here (see instantiateStreaming).
const ahead = { wasm: "", module: null, snapshot: null };

function startAhead({ runtimeUrl, snapshotUrl }) {
  if (!ahead.module) {
    ahead.wasm = new URL("pyodide.asm.wasm", runtimeUrl).href;
    ahead.module = WebAssembly.compileStreaming(download(ahead.wasm));
    ahead.module.catch(() => {}); // a failure ends the attempt that instantiates it
  }
  import(new URL("pyodide.asm.mjs", runtimeUrl).href).catch(() => {}); // Pyodide's, later
  if (snapshotUrl && !ahead.snapshot) {
    ahead.snapshot = fetchSnapshot(snapshotUrl);
    ahead.snapshot.catch(() => {}); // a failure ends the restore: the normal start follows
  }
}

async function start({ runtimeUrl, lockfileUrl, snapshotUrl }) {
  if (typeof WebAssembly !== "object") {
    throw new Error("WebAssembly is niet beschikbaar");
  }
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

// Also at each step of the start (a download done, the wasm compiled, an
// attempt begun), so the page's watchdog hears from us while no bytes flow.
function report(step = false) {
  const now = performance.now();
  if (settled || (!step && now - bytes.sent < 50)) return; // often enough for a bar
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
    if (done) return report(true);
    bytes.loaded += value.byteLength;
    report();
  }
}

const realFetch = self.fetch.bind(self);

async function download(...args) {
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

// The wasm is fetched once, by startAhead(); Pyodide's request for it gets an
// empty answer, and the compiled module in instantiateStreaming() below.
self.fetch = (...args) =>
  String(args[0]) === ahead.wasm ? Promise.resolve(new Response(null)) : download(...args);

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
        report(true);
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
function watched(result) {
  result.then(() => report(true), swallow);
  return result;
}

if (typeof WebAssembly === "object") {
  const { instantiate } = WebAssembly;
  WebAssembly.instantiate = (...args) => watched(instantiate(...args));
  WebAssembly.instantiateStreaming = (source, imports) =>
    watched(
      ahead.module.then(async (module) => ({ module, instance: await instantiate(module, imports) })),
    );
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
    // calculators.web.handle(request_json) -> response_json is the only way in.
    handle = pyodide.pyimport("calculators.web").handle;
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
