// Kennisbank calculators: thin browser glue.
//
// The page already shows the form and the build-time result. This module
// starts Python in a Web Worker when a calculator is on screen, comes into view
// or gets focus, sends every input change to it and writes the answer into the DOM
// (SPEC §5.7). All parsing, validation, formatting and messages come from
// Python; nothing about fields or formulas lives here.

// -- Runtime: worker, start-up, watchdog, progress, call() (SPEC §5.11) ---------

const STATUS = {
  loading: "Rekenhulp wordt geladen…",
  ready: "",
  error:
    "De rekenhulp kan in deze browser niet live rekenen. De uitkomst hierboven " +
    "hoort bij de oorspronkelijke waarden van deze pagina.",
};
const UPDATING = {
  loading: "Wordt bijgewerkt zodra de rekenhulp klaar is…",
  ready: "Wordt bijgewerkt…",
  error: "Deze uitkomst hoort niet bij de ingevulde waarden.",
};
// No word from the worker for this long while starting means Python is not
// coming. Every progress message resets it, so a slow line is not a failure;
// a "ready" after it fired still makes the calculators live.
const WATCHDOG_MS = 30_000;

const runtime = { state: "idle", loaded: 0, total: 0 };
let worker = null;
let watchdog = 0;
let seq = 0;
const pending = new Map(); // seq -> resolve(response | null)
const waiting = []; // call()s made while Python starts
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
    snapshotUrl: config.dataset.kbSnapshot && url(config.dataset.kbSnapshot),
  };
}

// The worker starts as soon as this module runs (only pages with a calculator
// load it). Its name tells it where the runtime is, so it can prepare without
// waiting for a message (which would wait for this busy main thread): it fetches
// Pyodide's small loader, and compiles the runtime only if the browser kept it
// from an earlier visit. The runtime is not downloaded before startPython().
function createWorker() {
  if (worker || typeof WebAssembly !== "object") return worker;
  const { workerUrl, ...urls } = runtimeConfig();
  try {
    worker = new Worker(workerUrl, { type: "module", name: JSON.stringify(urls) });
  } catch {
    worker = null; // module workers unsupported: startPython() reports failure
    return worker;
  }
  worker.addEventListener("message", onMessage);
  // A worker file that cannot load or crashes: Python is not coming.
  worker.addEventListener("error", () => setRuntime("error", "the worker failed"));
  return worker;
}

function startPython() {
  if (runtime.state !== "idle") return;
  runtime.state = "loading";
  if (!createWorker()) {
    setRuntime("error", "no WebAssembly or module workers");
    return;
  }
  armWatchdog();
  const { runtimeUrl, lockfileUrl, snapshotUrl } = runtimeConfig();
  worker.postMessage({ type: "start", runtimeUrl, lockfileUrl, snapshotUrl });
}

function armWatchdog() {
  clearTimeout(watchdog);
  watchdog = setTimeout(() => setRuntime("error", "no word from the worker"), WATCHDOG_MS);
}

function onMessage({ data }) {
  if (data.type === "progress") {
    if (runtime.state !== "loading") return;
    armWatchdog();
    Object.assign(runtime, { loaded: data.loaded, total: data.total });
    for (const root of liveRoots()) showProgress(root);
  } else if (data.type === "ready") {
    setRuntime("ready");
  } else if (data.type === "failed") {
    runtime.failed = true;
    setRuntime("error", data.message);
  } else if (data.type === "answer") {
    pending.get(data.seq)?.(data.response);
    pending.delete(data.seq);
  }
}

function setRuntime(state, why = "") {
  clearTimeout(watchdog);
  if (runtime.state === state || (state === "ready" && runtime.failed)) return;
  if (why) console.warn("Kennisbank: Python kon niet starten:", why);
  runtime.state = state;
  if (state === "error") {
    for (const resolve of pending.values()) resolve(null);
    pending.clear();
  }
  for (const resolve of waiting.splice(0)) resolve();
  for (const root of liveRoots()) {
    setState(root, state);
    // Whatever was typed while Python started is calculated now.
    if (state === "ready") recalculate(root, { fromUser: false });
  }
  letSearchStart();
}

// Material's search index waits for Python on this page (search-after-python.js).
function letSearchStart() {
  if (typeof BroadcastChannel !== "function") return;
  const channel = new BroadcastChannel("kennisbank-python");
  channel.postMessage(runtime.state);
  channel.close();
}

// Python's answer to one request (calculators.web.handle), or null when
// Python is not available. Waits while Python starts.
async function call(request) {
  startPython();
  if (runtime.state === "loading") await new Promise((resolve) => waiting.push(resolve));
  if (runtime.state !== "ready") return null;
  return new Promise((resolve) => {
    const id = ++seq;
    pending.set(id, resolve);
    worker.postMessage({ type: "call", seq: id, request });
  });
}

function liveRoots() {
  return [...document.querySelectorAll("[data-calculator]")].filter((root) => started.has(root));
}

function setState(root, state) {
  root.dataset.state = state;
  const status = root.querySelector("[data-status]");
  if (status) {
    status.textContent = STATUS[state] ?? "";
    if (state === "loading") status.append(" ", progressBar(root));
  }
  const share = root.querySelector("[data-share]");
  if (share && state === "ready") share.hidden = false;
  syncFreshness(root);
}

// Share of the runtime's bytes fetched, or indeterminate while the total is
// unknown (compressed responses do not say how many bytes they unpack to).
function progressBar(root) {
  root.kbProgress ??= Object.assign(document.createElement("progress"), {
    className: "kb-calculator__progress",
    max: 1,
  });
  root.kbProgress.setAttribute("aria-label", "Rekenhulp laden");
  showProgress(root);
  return root.kbProgress;
}

function showProgress(root) {
  const bar = root.kbProgress;
  if (!bar) return;
  if (runtime.total > 0) bar.value = Math.min(runtime.loaded / runtime.total, 1);
  else bar.removeAttribute("value");
}

// -- Freshness: do the outputs on screen belong to the inputs on screen? --------
//
// `root.kbShownFor` holds the input values the shown outputs were computed
// from: the build-time values at first, then whatever render() computed with.

function syncFreshness(root) {
  const results = root.querySelector("[aria-live]");
  if (!results || !root.kbShownFor) return;
  const values = valuesOf(root);
  const fresh = Object.keys(values).every((name) => values[name] === root.kbShownFor[name]);
  const state = runtime.state === "idle" ? "loading" : runtime.state;
  root.kbNotice ??= Object.assign(document.createElement("p"), {
    className: "kb-calculator__freshness",
  });
  if (!root.kbNotice.isConnected) results.prepend(root.kbNotice);
  root.kbNotice.textContent = fresh ? "" : UPDATING[state];
  root.kbNotice.hidden = fresh;
  root.dataset.fresh = fresh ? "yes" : state === "error" ? "no" : "updating";
  if (fresh || state === "error") results.removeAttribute("aria-busy");
  else results.setAttribute("aria-busy", "true");
}

// -- UI: one calculator on the page -------------------------------------------
//
// Render Python's answer (calculators.web.handle), keep the inputs in the URL,
// and the tools: scenario B, goal seeking, presets, reset, copy, CSV, print.
// Every number and every result text on screen comes from Python; this code
// only moves texts, attributes and the chart into place.

const FLASH_MS = 3000; // how long "Link gekopieerd" stays before the label returns

const $ = (root, selector) => root.querySelector(selector);
const $$ = (root, selector) => [...root.querySelectorAll(selector)];
const by = (attribute, name) => `[${attribute}="${CSS.escape(name)}"]`;

function inputsOf(root) {
  return $$(root, "input[name]");
}

function valuesOf(root) {
  return Object.fromEntries(inputsOf(root).map((input) => [input.name, input.value]));
}

function bInputsOf(root) {
  return $$(root, "input[data-b-field]");
}

function bValuesOf(root) {
  return Object.fromEntries(bInputsOf(root).map((input) => [input.dataset.bField, input.value]));
}

const comparing = (root) => root.dataset.scenario === "b";

function setText(element, text) {
  if (element) element.textContent = text ?? "";
}

function setInvalid(input, message) {
  if (message) input.setAttribute("aria-invalid", "true");
  else input.removeAttribute("aria-invalid");
}

function setTone(output, tone) {
  for (const element of [output, output.closest(".kb-output")]) {
    if (!element) continue;
    if (tone) element.dataset.tone = tone;
    else delete element.dataset.tone;
  }
}

// A folded group (influencer: Kosten, Resultaten) opens when it holds
// something the reader must see: a restored value, a preset, an error.
function unfold(input) {
  const group = input.closest("details");
  if (group) group.open = true;
}

function render(root, response, values) {
  const { result } = response;
  for (const input of inputsOf(root)) {
    const message = result.errors[input.name] ?? "";
    setText($(root, by("data-error-for", input.name)), message);
    setText($(root, by("data-note-for", input.name)), result.notes?.[input.name]);
    setInvalid(input, message);
    if (message) unfold(input);
  }
  for (const [name, text] of Object.entries(result.display)) {
    const output = $(root, by("data-output", name));
    if (!output) continue;
    output.textContent = text;
    setTone(output, result.tones?.[name]);
    setText($(root, by("data-tone-reason-for", name)), result.tone_reasons?.[name]);
    setText($(root, by("data-reason-for", name)), result.reasons?.[name]);
    setText($(root, by("data-summary-for", name)), text);
  }
  const chart = $(root, "[data-chart]");
  if (chart && response.chart && chart.kbSvg !== response.chart) {
    chart.innerHTML = response.chart; // SVG made by Python, no scripts
    chart.kbSvg = response.chart;
  }
  if (response.scenario) renderScenario(root, response.scenario);
  root.kbShownFor = values;
  syncFreshness(root);
}

function renderScenario(root, { result, differences }) {
  for (const input of bInputsOf(root)) {
    const message = result.errors[input.dataset.bField] ?? "";
    setText($(root, by("data-b-error-for", input.dataset.bField)), message);
    setInvalid(input, message);
  }
  for (const [name, text] of Object.entries(result.display)) {
    setText($(root, by("data-b-output", name)), text);
    setText($(root, by("data-b-difference", name)), differences?.[name]);
  }
}

async function recalculate(root) {
  const mine = (root.kbSeq = (root.kbSeq ?? 0) + 1);
  const values = valuesOf(root);
  const request = { op: "compute", calculator: root.dataset.calculator, inputs: values };
  if (comparing(root)) Object.assign(request, { op: "compare", scenario: bValuesOf(root) });
  const response = await call(request);
  if (mine !== root.kbSeq) return; // a newer change is on its way
  if (response?.result) render(root, response, values);
  else syncFreshness(root);
}

// -- The URL: ?roas.ad_spend=2.500&roas.b.ad_spend=3.000 -----------------------
// The prefix comes from the build: the calculator's id, or `roas-2` for the
// second `roas` on one page, so links to a page's only calculator keep working.

const urlKey = (root) => root.dataset.key || root.dataset.calculator;

// Each history.replaceState() is a round trip to the browser process: on every
// keystroke it took most of a recalculation's time. So the URL follows a pause
// in typing or a committed edit (`change`: Enter, leaving the field), and is
// brought up to date before anything reads it (link, summary, CSV, print).
const URL_PAUSE_MS = 300;

function writeUrlSoon(root) {
  clearTimeout(root.kbUrlTimer);
  root.kbUrlTimer = setTimeout(() => writeUrl(root), URL_PAUSE_MS);
}

function writeUrlNow(root) {
  if (root.kbUrlTimer) writeUrl(root);
}

function writeUrl(root) {
  clearTimeout(root.kbUrlTimer);
  root.kbUrlTimer = 0;
  // Instant navigation may have moved on to another page (and URL) meanwhile.
  if (!root.isConnected || location.pathname !== root.kbPath) return;
  const key = urlKey(root);
  const url = new URL(location.href);
  const a = valuesOf(root);
  const defaults = Object.fromEntries(inputsOf(root).map((i) => [i.name, i.defaultValue]));
  writeParams(url.searchParams, `${key}.`, a, defaults);
  writeParams(url.searchParams, `${key}.b.`, comparing(root) ? bValuesOf(root) : {}, a);
  if (url.href !== location.href) history.replaceState(history.state, "", url);
  writePrintLine(root);
}

// No empty parameters: a field left empty where it would otherwise be filled
// (`fallback`: the page's start value, or A's value for B) is named in one
// `<prefix>leeg` list instead ("influencer.leeg=fee_per_post+posts").
function writeParams(params, prefix, values, fallback) {
  const emptied = [];
  for (const [name, value] of Object.entries(values)) {
    if (value) params.set(prefix + name, value);
    else params.delete(prefix + name);
    if (!value && fallback[name]) emptied.push(name);
  }
  for (const name of Object.keys(fallback)) if (!(name in values)) params.delete(prefix + name);
  if (emptied.length) params.set(`${prefix}leeg`, emptied.join(" "));
  else params.delete(`${prefix}leeg`);
}

// The value a link gives a field: its parameter, "" when listed as emptied, or
// undefined when the link does not mention it.
function linkedValue(params, prefix, name) {
  if (params.has(prefix + name)) return params.get(prefix + name);
  return (params.get(`${prefix}leeg`) ?? "").split(" ").includes(name) ? "" : undefined;
}

function clearUrl(root) {
  clearTimeout(root.kbUrlTimer);
  root.kbUrlTimer = 0;
  const url = new URL(location.href);
  const prefix = `${urlKey(root)}.`;
  for (const name of [...url.searchParams.keys()]) {
    if (name.startsWith(prefix)) url.searchParams.delete(name);
  }
  history.replaceState(history.state, "", url);
  writePrintLine(root);
}

function readUrl(root) {
  const params = new URLSearchParams(location.search);
  const key = urlKey(root);
  let restored = false;
  for (const input of inputsOf(root)) {
    const value = linkedValue(params, `${key}.`, input.name);
    if (value === undefined) continue;
    input.value = value;
    unfold(input);
    restored = true;
  }
  const b = bInputsOf(root).filter(
    (input) => linkedValue(params, `${key}.b.`, input.dataset.bField) !== undefined,
  );
  if (b.length) {
    openScenario(root);
    for (const input of b) {
      input.value = linkedValue(params, `${key}.b.`, input.dataset.bField);
      unfold(input);
    }
    restored = true;
  }
  return restored;
}

// -- Tools ----------------------------------------------------------------------

function openScenario(root) {
  const values = valuesOf(root);
  for (const input of bInputsOf(root)) input.value = values[input.dataset.bField] ?? "";
  root.dataset.scenario = "b";
}

function closeScenario(root) {
  delete root.dataset.scenario;
  for (const input of bInputsOf(root)) input.value = "";
}

function fill(root, values) {
  for (const input of inputsOf(root)) {
    input.value = values[input.name] ?? "";
    if (input.value) unfold(input);
  }
}

function changed(root) {
  for (const input of [...inputsOf(root), ...bInputsOf(root)]) markTypedUnit(input);
  writeUrlSoon(root);
  goLive(root);
  syncFreshness(root);
  recalculate(root);
}

// "12,5%" typed where a "%" is shown already: show the unit once.
function markTypedUnit(input) {
  const control = input.parentElement;
  const unit = $(control, ".kb-field__unit")?.textContent.trim();
  control.toggleAttribute("data-unit-typed", Boolean(unit) && input.value.includes(unit));
}

function flash(button, text) {
  button.textContent = text;
  clearTimeout(button.kbFlash);
  button.kbFlash = setTimeout(() => (button.textContent = button.dataset.label), FLASH_MS);
}

async function copy(button, text, done, failed = "Kopiëren lukt niet in deze browser") {
  try {
    await navigator.clipboard.writeText(text);
    flash(button, done);
  } catch {
    flash(button, failed);
  }
}

function today() {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}

// The Dutch text summary and the CSV, both written by Python.
function exported(root) {
  writeUrlNow(root);
  const request = {
    op: "export",
    calculator: root.dataset.calculator,
    inputs: valuesOf(root),
    url: location.href,
    date: today(),
  };
  if (comparing(root)) request.scenario = bValuesOf(root);
  return call(request);
}

function download(name, text) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

async function onClick(root, event) {
  const button = event.target.closest("button");
  if (!button || !root.contains(button)) return;
  const data = button.dataset;
  if ("reset" in data) {
    for (const input of inputsOf(root)) input.value = input.defaultValue;
    const choice = $(root, "[data-preset-choice]");
    if (choice) choice.value = "";
    closeScenario(root);
  } else if ("scenarioOpen" in data) {
    openScenario(root);
    $(root, "input[data-b-field]")?.focus();
  } else if ("scenarioClose" in data) {
    closeScenario(root);
  } else if ("share" in data) {
    writeUrlNow(root);
    copy(button, location.href, "Link gekopieerd", "Kopieer de link uit de adresbalk");
    return;
  } else if ("copy" in data) {
    const response = await exported(root);
    if (response?.text) copy(button, response.text, "Uitkomst gekopieerd");
    return;
  } else if ("csv" in data) {
    const response = await exported(root);
    if (response?.csv) download(response.filename, response.csv);
    return;
  } else if ("printPage" in data) {
    button.closest("details").open = false;
    print();
    return;
  } else {
    return;
  }
  changed(root);
  if ("reset" in data) clearUrl(root);
}

// "Wat heb ik nodig?": Python finds the input value that reaches a target.
function setUpSolve(root) {
  const box = $(root, "[data-solve]");
  if (!box) return;
  const output = $(box, "[data-solve-output]");
  const field = $(box, "[data-solve-field]");
  const target = $(box, "[data-solve-target]");
  const answer = $(box, "[data-solve-answer]");
  const apply = $(box, "[data-solve-apply]");
  // Only the fields the chosen output depends on (from the definition).
  const limitFields = () => {
    const moves = new Set(output.selectedOptions[0]?.dataset.fields.split(" "));
    for (const option of field.options) option.disabled = !moves.has(option.value);
    if (field.selectedOptions[0]?.disabled) {
      field.value = [...field.options].find((option) => !option.disabled)?.value ?? "";
    }
  };
  // The target starts at the output's current value, until the reader types one.
  const current = () => {
    if (target.kbTyped) return;
    const shown = $(root, by("data-output", output.value))?.textContent.trim();
    target.value = shown && shown !== "n.v.t." ? shown : "";
  };
  target.addEventListener("input", () => (target.kbTyped = true));
  box.addEventListener("toggle", () => box.open && current());
  output.addEventListener("change", () => {
    target.kbTyped = false;
    limitFields();
    current();
  });
  limitFields();
  const solve = async () => {
    apply.hidden = true;
    const response = await call({
      op: "solve",
      calculator: root.dataset.calculator,
      field: field.value,
      output: output.value,
      target: target.value,
      inputs: valuesOf(root),
    });
    answer.toggleAttribute("data-failed", !response?.solved);
    if (!response?.solved) {
      answer.textContent = response?.error ?? "De rekenhulp rekent nu niet live.";
      return;
    }
    const reached = response.result?.display?.[output.value];
    answer.textContent =
      `${field.selectedOptions[0].text}: ${response.solved.shown ?? response.solved.display}` +
      (reached ? ` (${output.selectedOptions[0].text}: ${reached})` : "");
    apply.kbValue = response.solved.display;
    apply.kbField = response.solved.field;
    apply.hidden = false;
  };
  $(box, "[data-solve-run]").addEventListener("click", solve);
  target.addEventListener("keydown", (event) => {
    if (event.key === "Enter") solve();
  });
  apply.addEventListener("click", () => {
    const input = $(root, by("name", apply.kbField));
    if (!input) return;
    input.value = apply.kbValue;
    unfold(input);
    apply.hidden = true;
    changed(root);
    input.focus();
  });
}

// Printed on paper: where the result came from and when.
function writePrintLine(root) {
  setText($(root, "[data-print]"), `Berekend op ${dutchDate(new Date())} met ${location.href}`);
}

// "25 november 2026", as toLocaleDateString("nl-NL", {dateStyle: "long"}) has
// it, without the 20-60 ms a page's first use of the browser's locale data
// takes on the main thread while the page starts.
const MONTHS = "januari februari maart april mei juni juli augustus september oktober november december";

function dutchDate(date) {
  return `${date.getDate()} ${MONTHS.split(" ")[date.getMonth()]} ${date.getFullYear()}`;
}

// Printed or left: the URL (and the printed line) carry the last edit.
function writePendingUrls() {
  for (const root of document.querySelectorAll("[data-calculator]")) writeUrlNow(root);
}
addEventListener("pagehide", writePendingUrls);
addEventListener("beforeprint", () => {
  writePendingUrls();
  for (const group of document.querySelectorAll(".kb-calculator details[data-group]")) {
    group.open = true;
  }
});

function goLive(root) {
  if (started.has(root)) return;
  started.add(root);
  startPython();
  setState(root, runtime.state);
  if (runtime.state === "ready") recalculate(root);
}

function onScreen(element) {
  const box = element.getBoundingClientRect();
  return box.bottom > 0 && box.top < innerHeight && box.width > 0;
}

// fn() once `element` is on screen (at once without IntersectionObserver).
function whenSeen(element, fn) {
  if (!("IntersectionObserver" in window)) return fn();
  const observer = new IntersectionObserver((entries) => {
    if (!entries.some((entry) => entry.isIntersecting)) return;
    observer.disconnect();
    fn();
  });
  observer.observe(element);
}

function setUp(root) {
  if (setUpRoots.has(root)) return;
  setUpRoots.add(root);
  $(root, "form")?.addEventListener("submit", (event) => event.preventDefault());
  // The glue is here: no "could not load" notice (see calculator.css).
  root.dataset.kbGlue = "";
  root.kbPath = location.pathname;
  root.kbShownFor = Object.fromEntries(
    inputsOf(root).map((input) => [input.name, input.defaultValue]),
  );
  root.addEventListener("input", (event) => {
    if (!event.target.matches("input[name], input[data-b-field]")) return;
    // Typed over: the form no longer shows the chosen example.
    const choice = $(root, "[data-preset-choice]");
    if (choice && event.target.matches("input[name]")) choice.value = "";
    changed(root);
  });
  root.addEventListener("change", (event) => {
    const choice = event.target.matches("[data-preset-choice]") ? event.target : null;
    const preset = choice?.selectedOptions[0];
    if (preset?.dataset.preset) {
      fill(root, JSON.parse(preset.dataset.preset));
      changed(root);
    }
    writeUrlNow(root);
  });
  root.addEventListener("focusin", () => goLive(root), { once: true });
  root.addEventListener("click", (event) => onClick(root, event));
  setUpSolve(root);
  const restored = readUrl(root);
  for (const input of [...inputsOf(root), ...bInputsOf(root)]) markTypedUnit(input);
  writePrintLine(root);

  // A shared link starts Python right away; otherwise the calculator does once
  // it is seen: at once if it is on screen already (Python itself may be on its
  // way by then: watchWhileParsing()), else when it scrolls into view.
  if (restored || onScreen(root)) goLive(root);
  else whenSeen(root, () => goLive(root));
}

function setUpAll() {
  for (const root of document.querySelectorAll("[data-calculator]")) setUp(root);
}

// Python starts as soon as a calculator is on screen, and for that the page
// need not be parsed: each calculator is watched from the moment the parser adds
// it. The form itself is set up once the page is parsed (setUp()).
function watchWhileParsing() {
  if (document.readyState !== "loading") return;
  const added = new MutationObserver((records) => {
    for (const { addedNodes } of records) {
      for (const node of addedNodes) {
        if (node.matches?.("[data-calculator]")) whenSeen(node, startPython);
      }
    }
  });
  added.observe(document.documentElement, { childList: true, subtree: true });
  for (const root of document.querySelectorAll("[data-calculator]")) whenSeen(root, startPython);
  document.addEventListener("DOMContentLoaded", () => added.disconnect(), { once: true });
}

// The page loads this module with `async` at the top of its content, so it
// runs as soon as it arrives, while the rest of the page is still parsed: the
// worker boots meanwhile, and the calculators are set up once they all exist.
createWorker();
watchWhileParsing();
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
