// After a good restore the runtime's wasm and the snapshot are kept in Cache
// Storage, decompressed: the next page load (a full load, or a visit days later)
// compiles and restores them without asking the server and without unpacking
// brotli again, which took longer than the compile itself. Their URLs name their
// content, so a kept copy is never stale. Another tab may run another release of
// the site (opened before a deploy, or after it): of each kind (the wasm, the
// snapshot) the copies in use and the newest others are kept, KEEP_RELEASES in
// all, so that two tabs do not keep deleting each other's copies.

const CACHE = "kennisbank-python";
const OLD_CACHES = ["kennisbank-snapshot"];
const KEEP_RELEASES = 2;
const KEPT_AT = "X-Kept-At"; // when a copy was kept, in ms since 1970

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
  for (const name of OLD_CACHES) await self.caches.delete(name);
  for (const [url, body, type] of copies) {
    if (body && !(await cache.match(url))) {
      const headers = { "Content-Type": type, [KEPT_AT]: String(Date.now()) };
      await cache.put(url, new Response(body, { headers }));
    }
  }
  const inUse = new Set(copies.map(([url]) => url));
  const kinds = new Map(); // Content-Type -> [{request, rank}], newest first once sorted
  for (const request of await cache.keys()) {
    const headers = (await cache.match(request))?.headers;
    const kind = headers?.get("Content-Type") ?? "";
    const rank = inUse.has(request.url) ? Infinity : Number(headers?.get(KEPT_AT)) || 0;
    kinds.set(kind, [...(kinds.get(kind) ?? []), { request, rank }]);
  }
  for (const kept of kinds.values()) {
    kept.sort((a, b) => b.rank - a.rank);
    for (const { request } of kept.slice(KEEP_RELEASES)) await cache.delete(request);
  }
}
