// Live results: each change goes to Python, its answer (calculators.web.handle) into
// the DOM; and what a calculator says meanwhile: loading (with a progress bar), live
// or not, and whether the outputs on screen belong to the inputs on screen. Every
// number and result text comes from Python; this only moves them into place.

import * as form from "./form.mjs";
import { $, by, setText } from "./form.mjs";
import { call, runtime, startPython } from "./runtime.mjs";
import { writeUrlSoon } from "./url-state.mjs";

const started = new WeakSet();

function liveRoots() {
  return [...document.querySelectorAll("[data-calculator]")].filter((root) => started.has(root));
}

runtime.changed = (progressOnly) => {
  for (const root of liveRoots()) {
    if (progressOnly) showProgress(root);
    else setState(root, runtime.state);
    // Whatever was typed while Python started is calculated now.
    if (!progressOnly && runtime.state === "ready") recalculate(root);
  }
};

export function goLive(root) {
  if (started.has(root)) return;
  started.add(root);
  startPython();
  setState(root, runtime.state);
  if (runtime.state === "ready") recalculate(root);
}

export function changed(root) {
  form.markTypedUnits(root);
  writeUrlSoon(root);
  goLive(root);
  syncFreshness(root);
  recalculate(root);
}

async function recalculate(root) {
  const mine = (root.kbSeq = (root.kbSeq ?? 0) + 1);
  const values = form.valuesOf(root);
  const request = { op: "compute", calculator: root.dataset.calculator, inputs: values };
  const b = form.comparing(root) && { op: "compare", scenario: form.bValuesOf(root) };
  const response = await call({ ...request, ...b });
  if (mine !== root.kbSeq) return; // a newer change is on its way
  if (response?.result) render(root, response, values);
  else syncFreshness(root);
}

function setTone(output, tone) {
  for (const element of [output, output.closest(".kb-output")]) {
    if (!element) continue;
    if (tone) element.dataset.tone = tone;
    else delete element.dataset.tone;
  }
}

function render(root, response, values) {
  const { result } = response;
  for (const input of form.inputsOf(root)) {
    const message = result.errors[input.name] ?? "";
    setText($(root, by("data-error-for", input.name)), message);
    setText($(root, by("data-note-for", input.name)), result.notes?.[input.name]);
    form.setInvalid(input, message);
    if (message) form.unfold(input);
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
  for (const input of form.bInputsOf(root)) {
    const message = result.errors[input.dataset.bField] ?? "";
    setText($(root, by("data-b-error-for", input.dataset.bField)), message);
    form.setInvalid(input, message);
  }
  for (const [name, text] of Object.entries(result.display)) {
    setText($(root, by("data-b-output", name)), text);
    setText($(root, by("data-b-difference", name)), differences?.[name]);
  }
}

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

// `root.kbShownFor` holds the input values the shown outputs were computed
// from: the build-time values at first, then whatever render() computed with.
function syncFreshness(root) {
  const results = root.querySelector("[aria-live]");
  if (!results || !root.kbShownFor) return;
  const values = form.valuesOf(root);
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
