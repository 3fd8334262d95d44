// Kennisbank calculators: runs Python (Pyodide) off the main thread.
//
// Protocol:
//   worker name     JSON {runtimeUrl, lockfileUrl, snapshotUrl?}: what to prepare as
//                   soon as the worker runs (a message would wait for the page's
//                   main thread, which is busy while the page loads)
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

// -- Kept copies ----------------------------------------------------------------------
//
// After a good restore the runtime's wasm and the snapshot are kept in Cache
// Storage, decompressed: the next page load (a full load, or a visit days later)
// compiles and restores them without asking the server and without unpacking
// brotli again, which took longer than the compile itself. Their URLs name their
// content, so a kept copy is never stale; another build's copies are removed.
const CACHE = "kennisbank-python";
const OLD_CACHES = ["kennisbank-snapshot"];

let opened = null; // caches.open(), once

function openCache() {
  // No Cache Storage (not a secure context, say): the HTTP cache it is.
  opened ??= Promise.resolve()
    .then(() => self.caches.open(CACHE))
    .catch(() => null);
  return opened;
}

async function keptCopy(url) {
  try {
    return (await (await openCache())?.match(url)) ?? null;
  } catch {
    return null;
  }
}

async function forget(url) {
  await (await openCache())?.delete(url);
}

// copies: [url, body (bytes or a Blob; null for a copy kept already), Content-Type].
async function keep(copies) {
  const cache = await openCache();
  if (!cache) return;
  for (const [url, body, type] of copies) {
    if (body && !(await cache.match(url))) {
      await cache.put(url, new Response(body, { headers: { "Content-Type": type } }));
    }
  }
  const wanted = new Set(copies.map(([url]) => url));
  for (const request of await cache.keys()) {
    if (!wanted.has(request.url)) await cache.delete(request);
  }
  for (const name of OLD_CACHES) await self.caches.delete(name);
}

// -- The snapshot ---------------------------------------------------------------------
//
// The build's snapshot file: "KBSNAP02", a 4-byte header length, a JSON header
// (the calculators' sources, the Pyodide version, a SHA-256, where the stored
// runs of 4 kB pages go) and the non-zero pages of Pyodide's own memory
// snapshot (hooks/pyodide_snapshot.py). It is read as it arrives: once the
// header is in, Pyodide can size Python's memory and get going while the pages
// are still being put in place.
const MAGIC = "KBSNAP02";
const SNAPSHOT_TYPE = "application/octet-stream";
const PAGE = 4096;
// An empty zip: a restored Python has imported all it needs, so the 2.5 MB
// standard library is not fetched; it is still there, fetched only if read.
const EMPTY_ZIP = "data:application/zip;base64,UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==";

// Reads a response body in pieces of exactly the asked length, then the rest.
function pieces(body) {
  const reader = body.getReader();
  let buffered = new Uint8Array(0);
  return {
    async take(length) {
      while (buffered.length < length) {
        const { done, value } = await reader.read();
        if (done) throw new Error("snapshot: cut short");
        buffered = buffered.length ? concat(buffered, value) : value;
      }
      const piece = buffered.slice(0, length);
      buffered = buffered.subarray(length);
      return piece;
    },
    async *rest() {
      if (buffered.length) yield buffered;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    },
  };
}

function concat(a, b) {
  const both = new Uint8Array(a.length + b.length);
  both.set(a);
  both.set(b, a.length);
  return both;
}

async function sha256(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

// {version, files, pages, memory, placed}: `memory` is Pyodide's snapshot, filled
// in as the file arrives; `placed` settles once every page is in place (and a
// download is checked), with the file's bytes to keep, or null for a kept copy.
async function openSnapshot(url) {
  const kept = await keptCopy(url);
  const response = kept ?? (await download(url));
  if (!response.ok) throw new Error(`snapshot: HTTP ${response.status}`);
  // A download is checked before use, and kept once it restored well: a copy of
  // the stream is read alongside. A kept copy was checked before it was kept.
  const file = kept ? null : response.clone().arrayBuffer();
  file?.catch(() => {}); // settled with the pages below
  const body = pieces(response.body);
  const start = await body.take(12);
  if (new TextDecoder().decode(start.subarray(0, 8)) !== MAGIC) {
    throw new Error("snapshot: unknown format");
  }
  const length = new DataView(start.buffer, start.byteOffset).getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(await body.take(length)));
  const memory = new Uint8Array(header.length); // Pyodide's snapshot, zero pages and all
  const placed = (async () => {
    const place = placer(header.runs, memory);
    for await (const chunk of body.rest()) place(chunk);
    place.done();
    if (!file) return null;
    const bytes = new Uint8Array(await file);
    if ((await sha256(bytes.subarray(12 + length))) !== header.sha256) {
      throw new Error("snapshot: damaged (SHA-256 differs)");
    }
    return bytes;
  })();
  placed.catch(() => {}); // awaited by the restore, which then fails
  return { version: header.pyodide, files: header.files, pages: header.pages, memory, placed };
}

// Copies the stored pages, as they arrive, to where their runs say they go.
function placer(runs, memory) {
  let run = 0;
  let done = 0; // bytes of the current run placed
  const place = (chunk) => {
    for (let at = 0; at < chunk.length; ) {
      if (run === runs.length) throw new Error("snapshot: more pages stored than its header lists");
      const [first, count] = runs[run];
      const size = Math.min(count * PAGE - done, chunk.length - at);
      memory.set(chunk.subarray(at, at + size), first * PAGE + done);
      at += size;
      done += size;
      if (done === count * PAGE) [run, done] = [run + 1, 0];
    }
  };
  place.done = () => {
    if (run !== runs.length) throw new Error("snapshot: stored pages do not match the header");
  };
  return place;
}

// The build left out memory pages that a freshly instantiated runtime already
// holds (hooks/make_snapshot.mjs). Pyodide restores with `HEAP8.set(snapshot)`;
// just before, those pages are copied from the fresh memory into the snapshot,
// and checked: a runtime whose memory differs makes the restore fail (normal start).
function fnv1a(hash, words) {
  for (let i = 0; i < words.length; i++) hash = Math.imul(hash ^ words[i], 0x01000193) >>> 0;
  return hash;
}

async function withPagesFilledIn(snapshot, run) {
  let found = null; // the snapshot, once its header is in
  snapshot.then((value) => (found = value)).catch(() => {});
  let filled = false;
  const set = Int8Array.prototype.set;
  Int8Array.prototype.set = function (source, offset) {
    if (found && source?.buffer === found.memory.buffer) {
      const { size, pages, checksum } = found.pages;
      let hash = 0x811c9dc5;
      for (const page of pages) {
        hash = fnv1a(hash, new Uint32Array(this.buffer, page * size, size / 4));
        source.set(new Uint8Array(this.buffer, page * size, size), page * size);
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
// Pyodide waits for this before it restores, so the pages are in place by then.
function fsInit(snapshot, stdlibUrl) {
  return async (FS, { sitePackages }) => {
    const { files, placed } = await snapshot;
    for (const [name, text] of Object.entries(files)) {
      FS.mkdirTree(`${sitePackages}/${name}`.replace(/\/[^/]*$/, ""));
      FS.writeFile(`${sitePackages}/${name}`, text);
    }
    try {
      await placed;
    } catch (error) {
      // Fail the attempt, and keep this instance from going on: if fsInit
      // settled, Pyodide would restore pages that are not there.
      swallow(error);
      return new Promise(() => {});
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

async function restore(loadPyodide, options, { lockfileUrl }, version) {
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
  // Pyodide's config keeps a reference to the 31 MB it has copied by now:
  // detach it, so the worker does not hold Python's memory twice.
  (await snapshot).memory.buffer.transfer?.(0);
  return pyodide;
}

// What Pyodide would do one after the other starts side by side here: its
// JavaScript imported, its wasm compiled and the snapshot read. Pyodide's own
// request for the wasm then gets the module compiled here (see
// instantiateStreaming). The wasm and the runtime module come as soon as the
// worker runs when the browser kept them (nothing is downloaded for that);
// otherwise, like the snapshot, once Python is asked for.
//
// Only a restore uses the kept wasm. The normal start compiles the server's
// copy: it runs enough Python for the browser to cache the compiled code of
// that copy, which a later normal start then reuses.
const ahead = { wasm: "", module: null, snapshot: null, wasmFile: null };

const wasmUrl = (runtimeUrl) => new URL("pyodide.asm.wasm", runtimeUrl).href;

function compileAhead(runtimeUrl, restoring, kept = null) {
  if (ahead.module) return;
  ahead.wasm = wasmUrl(runtimeUrl);
  ahead.module = (async () => {
    const copy = restoring ? (kept ?? (await keptCopy(ahead.wasm))) : null;
    if (copy) {
      try {
        return await WebAssembly.compileStreaming(copy);
      } catch {
        await forget(ahead.wasm); // a damaged copy: the server's then
      }
    }
    const response = await download(ahead.wasm);
    // Kept after a good restore, decompressed as it arrived: no second download.
    if (restoring && response.ok) {
      ahead.wasmFile = response.clone().blob();
      ahead.wasmFile.catch(() => {}); // not kept then
    }
    return WebAssembly.compileStreaming(response);
  })();
  ahead.module.catch(() => {}); // a failure ends the attempt that instantiates it
  import(new URL("pyodide.asm.mjs", runtimeUrl).href).catch(() => {}); // Pyodide's, later
}

function startAhead({ runtimeUrl, snapshotUrl }) {
  compileAhead(runtimeUrl, Boolean(snapshotUrl));
  if (snapshotUrl && !ahead.snapshot) {
    ahead.snapshot = openSnapshot(snapshotUrl);
    ahead.snapshot.catch(() => {}); // a failure ends the restore: the normal start follows
  }
}

// At once, from the worker's name: the loader, and what the browser kept.
function prepare() {
  let config = null;
  try {
    config = JSON.parse(self.name || "null");
  } catch {
    return; // started by something else: wait for "start"
  }
  if (!config?.runtimeUrl) return;
  runtime(config.runtimeUrl).catch(() => {}); // a failure is reported when starting
  if (!config.snapshotUrl) return;
  keptCopy(wasmUrl(config.runtimeUrl)).then(
    (kept) => kept && compileAhead(config.runtimeUrl, true, kept),
  );
}

// {pyodide, path, keep}: `keep` lists what to keep for the next page load.
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
      const pyodide = await restore(loadPyodide, options, { lockfileUrl }, version);
      const file = await (await ahead.snapshot).placed;
      const wasm = [ahead.wasm, ahead.wasmFile, "application/wasm"];
      return { pyodide, path: "snapshot", keep: [wasm, [snapshotUrl, file, SNAPSHOT_TYPE]] };
    } catch (error) {
      // A new instance from scratch: never reuse one a failed restore touched.
      console.warn("Kennisbank: snapshot not usable, starting Python normally:", error);
      await forget(snapshotUrl); // nor a kept copy that failed
    }
  }
  const pyodide = await loadPyodide({
    ...options,
    lockFileURL: lockfileUrl,
    packages: [PACKAGE],
  });
  return { pyodide, path: "fallback", keep: [] };
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

// The wasm is fetched once, by compileAhead(); Pyodide's request for it gets an
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
    const { pyodide, path, keep: copies } = await start(data);
    // calculators.web.handle(request_json) -> response_json is the only way in.
    handle = pyodide.pyimport("calculators.web").handle;
    settle({ type: "ready", path });
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
    response = handle ? JSON.parse(handle(JSON.stringify(request))) : null;
  } catch (error) {
    console.warn("Kennisbank:", error);
  }
  self.postMessage({ type: "answer", seq, response });
}

self.addEventListener("message", ({ data }) => {
  if (data.type === "start") {
    starting ??= whenStarted(data);
  } else if (data.type === "call") {
    answer(data);
  }
});

prepare();
