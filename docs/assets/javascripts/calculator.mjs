// Kennisbank calculators: thin browser glue.
//
// The page already shows the form and the build-time result. This module
// starts Python in a Web Worker when a calculator is on screen, comes into view
// or gets focus, sends every input change to it and writes the answer into the DOM
// (SPEC §5.7). All parsing, validation, formatting and messages come from
// Python; nothing about fields or formulas lives here.

const STATUS = {
  loading: "Rekenhulp wordt geladen…",
  ready: "",
  error:
    "De rekenhulp kan in deze browser niet live rekenen. De uitkomst hierboven " +
    "hoort bij de oorspronkelijke waarden van deze pagina.",
};

let worker = null;
let ready = null; // Promise<boolean>: whether Python started
let seq = 0;
const pending = new Map(); // seq -> callback
const setUpRoots = new WeakSet();
const started = new WeakSet();

// Where things live comes from the page (the build knows the hashed names);
// after instant navigation, from the new page's copy of the script tag.
function runtimeConfig() {
  const config = document.querySelector("script[data-kb-runtime]");
  const url = (value) => new URL(value, document.baseURI).href;
  return {
    workerUrl: url(config.dataset.kbWorker),
    runtimeUrl: url(config.dataset.kbRuntime),
    lockfileUrl: url(config.dataset.kbLockfile),
  };
}

// The worker starts as soon as this module runs (only pages with a calculator
// load it), but it only fetches Pyodide's small loader module; the runtime
// itself (wasm, standard library) waits for startPython(). This takes the
// worker's own start-up and the loader's download off the critical path once
// a reader reaches a calculator.
function createWorker() {
  if (worker || typeof WebAssembly !== "object") return worker;
  const { workerUrl, runtimeUrl } = runtimeConfig();
  try {
    worker = new Worker(workerUrl, { type: "module" });
  } catch {
    worker = null; // module workers unsupported: startPython() reports failure
    return worker;
  }
  worker.postMessage({ type: "prepare", runtimeUrl });
  return worker;
}

function startPython() {
  if (ready) return ready;
  ready = new Promise((resolve) => {
    if (!createWorker()) {
      resolve(false);
      return;
    }
    worker.addEventListener("message", ({ data }) => {
      if (data.type === "ready") resolve(true);
      else if (data.type === "failed") {
        console.warn("Kennisbank: Python kon niet starten:", data.message);
        resolve(false);
      } else if (data.type === "result") {
        pending.get(data.seq)?.(data);
        pending.delete(data.seq);
      }
    });
    worker.addEventListener("error", () => resolve(false));
    const { runtimeUrl, lockfileUrl } = runtimeConfig();
    worker.postMessage({ type: "start", runtimeUrl, lockfileUrl });
  });
  return ready;
}

function compute(calculator, inputs) {
  return new Promise((resolve) => {
    const id = ++seq;
    pending.set(id, resolve);
    worker.postMessage({ type: "compute", seq: id, calculator, inputs });
  });
}

// -- One calculator on the page ------------------------------------------------

function inputsOf(root) {
  return [...root.querySelectorAll("input[name]")];
}

function valuesOf(root) {
  return Object.fromEntries(inputsOf(root).map((input) => [input.name, input.value]));
}

function setState(root, state) {
  root.dataset.state = state;
  const status = root.querySelector("[data-status]");
  if (status) status.textContent = STATUS[state] ?? "";
}

function render(root, result) {
  for (const input of inputsOf(root)) {
    const message = result.errors[input.name] ?? "";
    const slot = root.querySelector(`[data-error-for="${CSS.escape(input.name)}"]`);
    if (slot) slot.textContent = message;
    if (message) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }
  for (const [name, text] of Object.entries(result.display)) {
    const output = root.querySelector(`[data-output="${CSS.escape(name)}"]`);
    if (output) output.textContent = text;
    const reason = root.querySelector(`[data-reason-for="${CSS.escape(name)}"]`);
    if (reason) reason.textContent = result.reasons?.[name] ?? "";
  }
}

// The inputs live in the URL (?roas.ad_spend=2.500) so a result can be shared.
function writeUrl(root) {
  const id = root.dataset.calculator;
  const url = new URL(location.href);
  for (const input of inputsOf(root)) {
    const key = `${id}.${input.name}`;
    if (input.value.trim() === "") url.searchParams.delete(key);
    else url.searchParams.set(key, input.value);
  }
  if (url.href !== location.href) history.replaceState(history.state, "", url);
}

function readUrl(root) {
  const params = new URLSearchParams(location.search);
  let restored = false;
  for (const input of inputsOf(root)) {
    const key = `${root.dataset.calculator}.${input.name}`;
    if (params.has(key)) {
      input.value = params.get(key);
      restored = true;
    }
  }
  return restored;
}

async function recalculate(root, { fromUser = true } = {}) {
  if (!(await ready)) return;
  const mine = (root.kbSeq = (root.kbSeq ?? 0) + 1);
  const answer = await compute(root.dataset.calculator, valuesOf(root));
  if (mine !== root.kbSeq || answer.error) return; // a newer change is on its way
  render(root, answer.result);
  if (fromUser) writeUrl(root);
}

async function goLive(root) {
  if (started.has(root)) return;
  started.add(root);
  setState(root, "loading");
  if (!(await startPython())) {
    setState(root, "error");
    return;
  }
  setState(root, "ready");
  const share = root.querySelector("[data-share]");
  if (share) share.hidden = false;
  // Whatever was typed while Python started is calculated now.
  await recalculate(root, { fromUser: false });
}

function onScreen(element) {
  const box = element.getBoundingClientRect();
  return box.bottom > 0 && box.top < innerHeight && box.width > 0;
}

function setUp(root) {
  if (setUpRoots.has(root)) return;
  setUpRoots.add(root);
  const form = root.querySelector("form");
  form?.addEventListener("submit", (event) => event.preventDefault());
  root.addEventListener("input", () => {
    writeUrl(root);
    if (started.has(root)) recalculate(root);
    else goLive(root);
  });
  root.addEventListener("focusin", () => goLive(root), { once: true });
  root.querySelector("[data-share]")?.addEventListener("click", async (event) => {
    const button = event.currentTarget;
    try {
      await navigator.clipboard.writeText(location.href);
      button.textContent = "Link gekopieerd";
    } catch {
      button.textContent = "Kopieer de link uit de adresbalk";
    }
  });

  // A shared link starts Python right away; otherwise when the calculator is
  // seen: at once if it is on screen already, else when it scrolls into view.
  if (readUrl(root) || onScreen(root)) {
    goLive(root);
  } else if ("IntersectionObserver" in window) {
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) {
        observer.disconnect();
        goLive(root);
      }
    });
    observer.observe(root);
  } else {
    goLive(root);
  }
}

function setUpAll() {
  for (const root of document.querySelectorAll("[data-calculator]")) setUp(root);
}

// The page loads this module with `async` at the top of its content, so it
// runs as soon as it arrives, while the rest of the page is still parsed: the
// worker boots meanwhile, and the calculators are set up once they all exist.
createWorker();
// Material's instant navigation swaps pages without reloading this module;
// its `document$` observable (defined by Material's script) announces each one.
function whenParsed() {
  setUpAll();
  window.document$?.subscribe?.(setUpAll);
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", whenParsed, { once: true });
} else {
  whenParsed();
}
