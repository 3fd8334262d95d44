// Kennisbank calculators: thin browser glue.
//
// The page already shows the form and the build-time result. This module only
// starts Python in a Web Worker when a calculator comes into view or gets
// focus, sends every input change to it and writes the answer into the DOM
// (SPEC §5.7). All parsing, validation, formatting and messages come from
// Python; nothing about fields or formulas lives here.

const script = document.querySelector("script[data-kb-runtime]");
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
const started = new WeakSet();

function startPython() {
  if (ready) return ready;
  ready = new Promise((resolve) => {
    const config = document.querySelector("script[data-kb-runtime]") ?? script;
    try {
      if (typeof WebAssembly !== "object") throw new Error("no WebAssembly");
      worker = new Worker(new URL("./calculator-worker.mjs", import.meta.url), { type: "module" });
    } catch {
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
    worker.postMessage({
      type: "start",
      runtimeUrl: new URL(config.dataset.kbRuntime, document.baseURI).href,
      lockfileUrl: new URL(config.dataset.kbLockfile, document.baseURI).href,
    });
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

function setUp(root) {
  if (root.kbSetUp) return;
  root.kbSetUp = true;
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

  // A shared link starts Python right away; otherwise when the calculator is seen.
  if (readUrl(root)) {
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

// Material's instant navigation swaps the page without reloading this module;
// its `document$` observable announces every new page.
if (window.document$?.subscribe) window.document$.subscribe(setUpAll);
else setUpAll();
