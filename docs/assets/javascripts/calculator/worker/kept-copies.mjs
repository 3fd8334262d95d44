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
  opened ??= Promise.resolve().then(() => self.caches.open(CACHE)).catch(() => null);
  return opened;
}

export async function keptCopy(url) {
  try {
    return (await (await openCache())?.match(url)) ?? null;
  } catch {
    return null;
  }
}

export const forget = async (url) => (await openCache())?.delete(url);

// copies: [url, body (bytes or a Blob; null for a copy kept already), Content-Type].
export async function keep(copies) {
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
