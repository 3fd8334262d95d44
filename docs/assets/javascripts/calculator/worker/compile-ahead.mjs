// What Pyodide would do one after the other starts side by side here: its
// JavaScript imported, its wasm compiled and the snapshot read; Pyodide's own
// request for the wasm then gets the module compiled here (instantiateStreaming).
// The wasm and the runtime module come as soon as the worker runs when the
// browser kept them (nothing is downloaded for that); otherwise, like the
// snapshot, once Python is asked for. Only a restore uses the kept wasm: the
// normal start compiles the server's copy, and runs enough Python for the
// browser to cache its compiled code, which a later normal start reuses.

import { forget, keptCopy } from "./kept-copies.mjs";
import { openSnapshot } from "./restore.mjs";
import { download, watched } from "./start-report.mjs";

export const ahead = { wasm: "", module: null, snapshot: null, wasmFile: null };

export const wasmUrl = (runtimeUrl) => new URL("pyodide.asm.wasm", runtimeUrl).href;

export function compileAhead(runtimeUrl, restoring, kept = null) {
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

export function startAhead({ runtimeUrl, snapshotUrl }) {
  compileAhead(runtimeUrl, Boolean(snapshotUrl));
  if (snapshotUrl && !ahead.snapshot) {
    ahead.snapshot = openSnapshot(snapshotUrl);
    ahead.snapshot.catch(() => {}); // a failure ends the restore: the normal start follows
  }
}

// The wasm is fetched once, by compileAhead(); Pyodide's request for it gets an
// empty answer, and the compiled module in instantiateStreaming() below.
self.fetch = (...args) =>
  String(args[0]) === ahead.wasm ? Promise.resolve(new Response(null)) : download(...args);

if (typeof WebAssembly === "object") {
  const { instantiate } = WebAssembly;
  WebAssembly.instantiate = (...args) => watched(instantiate(...args));
  WebAssembly.instantiateStreaming = (source, imports) =>
    watched(
      ahead.module.then(async (module) => ({ module, instance: await instantiate(module, imports) })),
    );
}
