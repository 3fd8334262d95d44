// Kennisbank: Material's search worker, started once the calculators' Python is
// live, on pages with a calculator (hooks/calculator_pages.py points Material
// here instead of at its own worker). Material builds its search index anew on
// every page load, in a worker, as Pyodide starts in ours: with few cores the two
// share the CPU, and the reader came for the calculator. So the real worker is
// loaded when the page says Python is live or could not start (on the channel
// below, see calculator/protocol.mjs), or after LATEST_MS whatever happens.
// Material's messages that arrive before then are kept and handed to it in order;
// it waits for its answer to the first one, as it does while any index is built.

const LATEST_MS = 5000;
const CHANNEL = "kennisbank-python";
// Only Material's own worker, next to this file (its name is in our URL).
const MATERIAL_WORKER = /^search\.[0-9a-f]+\.min\.js$/;

const held = [];
const hold = (event) => held.push(event.data);
self.addEventListener("message", hold);

const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel(CHANNEL) : null;
let timer = 0;

function start() {
  if (!timer) return; // started already
  clearTimeout(timer);
  timer = 0;
  channel?.close();
  const name = new URL(self.location.href).searchParams.get("worker") ?? "";
  if (!MATERIAL_WORKER.test(name)) throw new Error(`search worker: unexpected name ${name}`);
  self.removeEventListener("message", hold);
  importScripts(name);
  for (const data of held.splice(0)) self.dispatchEvent(new MessageEvent("message", { data }));
}

timer = setTimeout(start, LATEST_MS);
if (channel) channel.onmessage = start;
