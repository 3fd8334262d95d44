// Makes the Pyodide memory snapshot the browser restores instead of starting Python
// (kennisbank/pyodide/snapshot.py runs this with Node.js during the build).
//
//   node kennisbank/pyodide/make_snapshot.mjs <runtime dir> <files.json> <out file> <pages.json>
//
// files.json maps paths inside site-packages to the calculators' sources. They are
// written with `fsInit` before Python starts, exactly as the worker does when it
// restores: the file system is not part of a snapshot, and loading a package the
// normal way before snapshotting would leave state that cannot be restored.
import nodeCrypto from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

// The same sources must give the same snapshot, byte for byte: the site names it
// after its SHA-256 and browsers keep it for a year. Python's memory differs from
// run to run through its hash seed (dict and set layouts, string hashes), the
// random bytes it draws at start-up (the `random` module's state, which the
// snapshot does not hold) and the clock (file dates, time stamps). All three are
// fixed while the snapshot is made. Every reader restores the same memory
// anyway; the worker would reseed `random` if the snapshot held it, so that
// readers do not share its numbers.
const HASH_SEED = "0";
const EPOCH_MS = Date.UTC(2025, 0, 1);

function deterministic() {
  const real = {
    randomFillSync: nodeCrypto.randomFillSync,
    getRandomValues: globalThis.crypto.getRandomValues,
    dateNow: Date.now,
    performanceNow: performance.now,
  };
  let state = 0x2545f491;
  const pseudoRandom = (view) => {
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    for (let i = 0; i < bytes.length; i++) {
      state ^= state << 13; // xorshift32: reproducible, not secret, and need not be
      state ^= state >>> 17;
      state ^= state << 5;
      bytes[i] = state & 0xff;
    }
    return view;
  };
  nodeCrypto.randomFillSync = pseudoRandom; // what Pyodide draws from in Node.js
  globalThis.crypto.getRandomValues = pseudoRandom;
  Date.now = () => EPOCH_MS;
  let ticks = 0;
  performance.now = () => (ticks += 0.001);
  return () => {
    nodeCrypto.randomFillSync = real.randomFillSync;
    globalThis.crypto.getRandomValues = real.getRandomValues;
    Date.now = real.dateNow;
    performance.now = real.performanceNow;
  };
}

// A failure ends with its message and stack (a Python traceback included), not
// with the line of minified runtime code that Node.js would print first.
process.on("uncaughtException", (error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});

const [runtimeDir, filesJson, out, pagesJson] = process.argv.slice(2);
// Emscripten takes the program's name from here, and Python keeps it in memory:
// the name a browser gives, not where this checkout happens to be.
process.argv[1] = "./this.program";
const files = JSON.parse(readFileSync(filesJson, "utf8"));
const { loadPyodide } = await import(pathToFileURL(path.join(runtimeDir, "pyodide.mjs")).href);
const PAGE = 4096;
// Kept out of the snapshot until used (kennisbank/pyodide/deferred_imports.py).
const DEFERRED = ["asyncio", "pyodide.webloop", "shutil", "tempfile", "traceback", "zipfile"];

const options = {
  indexURL: path.resolve(runtimeDir) + path.sep,
  stdout: (line) => process.stderr.write(line + "\n"),
  fsInit: async (FS, { sitePackages }) => {
    for (const [name, text] of Object.entries(files)) {
      FS.mkdirTree(path.posix.dirname(`${sitePackages}/${name}`));
      FS.writeFile(`${sitePackages}/${name}`, text);
    }
  },
};
// Python's compiler keeps, for every instruction, the line and the columns it
// came from; the columns only place the carets (^^^) under a traceback's line.
// Compiled without them (Python's own -X no_debug_ranges), the code of every
// imported module holds line numbers only: 0.12 MB less for every reader to
// download, and tracebacks still name file, line and function.
const NO_COLUMNS = { PYTHONNODEBUGRANGES: "1" };

const undo = deterministic();
const pyodide = await loadPyodide({
  ...options,
  env: { HOME: "/home/pyodide", PYTHONHASHSEED: HASH_SEED, ...NO_COLUMNS },
  _makeSnapshot: true,
});

// Import everything the browser will use, and use it once, so that nothing is
// imported lazily after a restore (the standard library is not fetched then).
// Nothing else: every module here is in the file every reader downloads.
// Python must hold no JavaScript object here: those cannot be serialised.
pyodide.runPython(`
import importlib
import json
import os

import calculators

for _module in sorted(os.listdir(calculators.__path__[0])):
    if _module.endswith(".py") and _module not in ("__init__.py", "__main__.py"):
        importlib.import_module(f"calculators.{_module[:-3]}")

try:
    from calculators.web import handle as _handle
except ImportError:
    _handle = None

for _id, _calculator in calculators.registry.items():
    _inputs = {f.name: calculators.format_input(f.example, f.kind) for f in _calculator.fields}
    calculators.compute(_id, _inputs).to_dict()
    calculators.compute(_id, {f.name: "x" for f in _calculator.fields}).to_dict()
    if _handle is not None:
        _handle(json.dumps({"op": "compute", "calculator": _id, "inputs": _inputs}))
del _module, _id, _calculator, _inputs, _handle

# Caches Python fills again when it needs them, which a restored calculator does
# not: patterns compiled by start-up code, typing's and the types' lookup caches,
# and where in the standard library's zip each file is (36 of these 45 kB of the
# download). A restored Python that does import from the zip fetches it then, and
# reads that list again with it.
import re
import sys
import typing
import zipimport

re.purge()
for _clear in typing._cleanups:
    _clear()
sys._clear_internal_caches()
zipimport._zip_directory_cache.clear()
sys.path_importer_cache.clear()
del _clear

import gc
gc.collect()
`);
zeroFreeMemory(pyodide._module);
zeroDeadStack(pyodide._module);

const snapshot = pyodide.makeMemorySnapshot();
// The fresh runtime below must be one as a browser starts it (real random
// bytes and clock, no environment of ours): its pages are what a restore finds.
undo();

// Much of Python's memory is the runtime's own static data, untouched since the
// wasm was instantiated: a restore finds those pages in place already. They are
// found by restoring here in a new instance, compared with the memory just before
// Pyodide writes the snapshot into it, and left out (zeroed, so they compress to
// nothing); the worker copies them back from its own fresh memory and checks them
// against this checksum (calculator/worker/restore.mjs).
const heapOffset = new DataView(snapshot.buffer, snapshot.byteOffset).getUint32(4, true);
const heap = snapshot.subarray(heapOffset);
const copy = snapshot.slice();
let fresh = null;
const set = Int8Array.prototype.set;
Int8Array.prototype.set = function (source, offset) {
  if (source?.buffer === copy.buffer && source.byteOffset === heapOffset) {
    fresh = new Uint8Array(this.buffer.slice(0, heap.length));
  }
  return set.call(this, source, offset);
};
const restored = await loadPyodide({ ...options, _loadSnapshot: copy });
Int8Array.prototype.set = set;
if (!fresh) throw new Error("Pyodide did not restore the snapshot through HEAP8.set");
// The restored copy must work, or the browser would only ever fall back. What
// deferred_imports.py kept out must not have run, and must work once used, as
// at a normal start, with Pyodide's event loop. (This copy is thrown away: the
// file written is the snapshot taken above.)
restored.runPython(`
import sys
import sitecustomize
sitecustomize.start_up_done()  # as the worker does once it has restored
import calculators
assert calculators.registry
for name in ${JSON.stringify(DEFERRED)}:
    assert type(sys.modules[name]).__name__ == "_Deferred", f"{name} ran before the snapshot"
import asyncio
import shutil
import time
import zipfile._path
import pyodide.webloop
assert isinstance(zipfile.ZipFile, type) and zipfile._path.CompleteDirs
assert "whl" in {name for name, _, _ in shutil.get_unpack_formats()}
assert isinstance(asyncio.get_event_loop(), pyodide.webloop.WebLoop)
assert asyncio.run is pyodide.webloop._run and time.sleep is pyodide.webloop._sleep
import traceback
assert "ValueError: x" in "".join(traceback.format_exception(ValueError("x")))
`);

const pages = [];
let checksum = 0x811c9dc5;
for (let page = 0; page * PAGE < heap.length; page++) {
  const mine = heap.subarray(page * PAGE, (page + 1) * PAGE);
  const theirs = fresh.subarray(page * PAGE, (page + 1) * PAGE);
  if (Buffer.compare(mine, theirs) === 0 && mine.some((byte) => byte !== 0)) {
    pages.push(page);
    checksum = fnv1a(checksum, new Uint32Array(mine.buffer, mine.byteOffset, PAGE / 4));
    mine.fill(0);
  }
}
writeFileSync(out, snapshot);
writeFileSync(pagesJson, JSON.stringify({ size: PAGE, pages, checksum }));

// The same 32-bit FNV-1a as the worker's, over 32-bit words (a quarter of the
// steps of a byte-wise hash): it detects a runtime whose fresh memory differs
// from this one, not tampering (the download itself is checked by SHA-256).
function fnv1a(hash, words) {
  for (let i = 0; i < words.length; i++) hash = Math.imul(hash ^ words[i], 0x01000193) >>> 0;
  return hash;
}

// Below the stack pointer is what deeper calls (imports, mostly) left there:
// dead, and written before it is read again. Nothing of Python runs now.
function zeroDeadStack(module) {
  module.HEAPU8.fill(0, module._emscripten_stack_get_end(), module._emscripten_stack_get_current());
}

// Memory that malloc holds free still has whatever start-up left there (freed
// objects, import buffers): a fifth of the snapshot's stored bytes, and noise to
// brotli. Zeroing it is exact: free memory is never read before it is written.
// Every free chunk is taken, largest blocks first, without letting the heap grow
// (a grown heap would move the allocator's end-of-segment record onto the last,
// partial page), then cleared and given back.
function zeroFreeMemory(module) {
  const heapSize = module.HEAPU8.length;
  const end = module._sbrk(0);
  // dlmalloc's setter returns the limit it sets, not the one before: read that
  // first. A limit left in place would be restored with the snapshot, and a
  // restored Python could never grow its memory.
  const limit = module._malloc_footprint_limit();
  module._malloc_set_footprint_limit(module._malloc_footprint());
  const taken = [];
  for (let size = 16 * 1024 * 1024; size >= 8; size >>>= 1) {
    for (let block = module._malloc(size); block !== 0; block = module._malloc(size)) {
      module.HEAPU8.fill(0, block, block + size);
      taken.push(block);
    }
  }
  for (const block of taken) module._free(block);
  module._malloc_set_footprint_limit(limit);
  if (module._malloc_footprint_limit() !== limit) throw new Error("malloc's limit not restored");
  if (module.HEAPU8.length !== heapSize || module._sbrk(0) !== end) {
    throw new Error("zeroing free memory grew the heap");
  }
}
