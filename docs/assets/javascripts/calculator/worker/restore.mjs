// The build's snapshot file, read as it arrives: "KBSNAP02", a 4-byte header
// length, a JSON header (the calculators' sources, the Pyodide version, where the
// stored runs of 4 kB pages go) and the non-zero pages of Pyodide's own memory
// snapshot (kennisbank/pyodide/snapshot.py); Python is restored from it. Once the
// header is in, Pyodide sizes Python's memory and goes on while pages are placed.
// Its name is the SHA-256 of the whole file, which is checked before Python runs.

import { keptCopy } from "./kept-copies.mjs";
import { download, swallow } from "./start-report.mjs";

const MAGIC = "KBSNAP02";
export const SNAPSHOT_TYPE = "application/octet-stream";
const PAGE = 4096;
const TOO_MANY = "snapshot: more pages stored than its header lists";

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

// The build names the snapshot after the SHA-256 of all its bytes, header included.
const SNAPSHOT_NAME = /\/snapshot\.([0-9a-f]{64})\.bin$/;

// {version, files, pages, memory, placed}: `memory` is Pyodide's snapshot, filled
// in as the file arrives; `placed` settles once every page is in place and the
// whole file matches its name, with the file's bytes to keep, or null for a
// kept copy.
export async function openSnapshot(url) {
  const expected = SNAPSHOT_NAME.exec(new URL(url).pathname)?.[1];
  if (!expected) throw new Error("snapshot: its name carries no SHA-256");
  const kept = await keptCopy(url);
  const response = kept ?? (await download(url));
  if (!response.ok) throw new Error(`snapshot: HTTP ${response.status}`);
  const body = pieces(response.body);
  const start = await body.take(12);
  if (new TextDecoder().decode(start.subarray(0, 8)) !== MAGIC) {
    throw new Error("snapshot: unknown format");
  }
  const length = new DataView(start.buffer, start.byteOffset).getUint32(8, true);
  const headerBytes = await body.take(length);
  const header = JSON.parse(new TextDecoder().decode(headerBytes));
  const memory = new Uint8Array(header.length); // Pyodide's snapshot, zero pages and all
  // The whole file is gathered as it is read, for its SHA-256 and to be kept:
  // a clone of the response would be read alongside, and lag behind it.
  const stored = header.runs.reduce((sum, [, count]) => sum + count * PAGE, 0);
  const file = new Uint8Array(start.length + length + stored);
  file.set(start);
  file.set(headerBytes, start.length);
  let filled = start.length + length;
  const placed = (async () => {
    const place = placer(header.runs, memory);
    for await (const chunk of body.rest()) {
      if (filled + chunk.length > file.length) throw new Error(TOO_MANY);
      file.set(chunk, filled);
      filled += chunk.length;
      place(chunk);
    }
    place.done();
    // Checked before use, a kept copy too (a disk, or any script of the site's
    // origin, can change Cache Storage).
    if ((await sha256(file)) !== expected) {
      throw new Error("snapshot: damaged (its SHA-256 is not the one in its name)");
    }
    return kept ? null : file;
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
      if (run === runs.length) throw new Error(TOO_MANY);
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

// An empty zip: a restored Python has imported all it needs, so the 2.5 MB
// standard library is not fetched; it is still there, fetched only if read.
const EMPTY_ZIP = "data:application/zip;base64,UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==";

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

// `opened` is what openSnapshot() gives, as it arrives.
export async function restore(opened, loadPyodide, options, { lockfileUrl }, version) {
  const snapshot = opened.then((found) => {
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
  // Pyodide's restore has read what it reads of the modules the snapshot holds
  // unrun (kennisbank/pyodide/deferred_imports.py): from now on a use runs them.
  pythonCall(pyodide, "sitecustomize", (deferring) => deferring.start_up_done());
  // Python's functions are called, no source is run: a restored Python needs
  // no compiler. Were `random` in the snapshot, every reader would draw the
  // same numbers (it is not: imported later, it seeds itself).
  pythonCall(pyodide, "sys", (sys) => {
    const modules = sys.modules;
    const random = modules.get("random");
    modules.destroy();
    random?.seed();
    random?.destroy();
  });
  // A restored state that is not what we made is no use: check before trusting it.
  const found = pythonCall(pyodide, "calculators", (calculators) => calculators.registry.length);
  if (!found) throw new Error("snapshot: no calculators");
  // Pyodide's config keeps a reference to the 31 MB it has copied by now:
  // detach it, so the worker does not hold Python's memory twice.
  (await snapshot).memory.buffer.transfer?.(0);
  return pyodide;
}
