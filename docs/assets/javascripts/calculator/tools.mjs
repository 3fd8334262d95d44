// A calculator's tools: presets, reset, scenario B, goal seeking, and the link,
// the text summary and the CSV to take the result elsewhere.

import * as form from "./form.mjs";
import { $, by, comparing, inputsOf, valuesOf } from "./form.mjs";
import { changed } from "./live.mjs";
import { call } from "./runtime.mjs";
import { clearUrl, writeUrlNow } from "./url-state.mjs";

const FLASH_MS = 3000; // how long "Link gekopieerd" stays before the label returns

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

function exported(root) {
  writeUrlNow(root);
  const request = { op: "export", calculator: root.dataset.calculator, inputs: valuesOf(root) };
  Object.assign(request, { url: location.href, date: today() });
  if (comparing(root)) request.scenario = form.bValuesOf(root);
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

export async function onClick(root, event) {
  const button = event.target.closest("button");
  if (!button || !root.contains(button)) return;
  const data = button.dataset;
  if ("reset" in data) {
    for (const input of inputsOf(root)) input.value = input.defaultValue;
    form.closeScenario(root);
    forgetPreset(root);
  } else if ("scenarioOpen" in data) {
    form.openScenario(root);
    $(root, "input[data-b-field]")?.focus();
  } else if ("scenarioClose" in data) {
    form.closeScenario(root);
  } else if ("share" in data) {
    writeUrlNow(root);
    return copy(button, location.href, "Link gekopieerd", "Kopieer de link uit de adresbalk");
  } else if ("copy" in data || "csv" in data) {
    const response = await exported(root); // the text summary and the CSV, from Python
    if ("copy" in data && response?.text) copy(button, response.text, "Uitkomst gekopieerd");
    if ("csv" in data && response?.csv) download(response.filename, response.csv);
    return;
  } else if ("printPage" in data) {
    button.closest("details").open = false;
    return print();
  } else {
    return;
  }
  changed(root);
  if ("reset" in data) clearUrl(root);
}

// "Voorbeeld invullen": one choice of the calculator's presets fills the form.
export function onChange(root, event) {
  const preset = event.target.matches("[data-preset-choice]") && event.target.selectedOptions[0];
  if (!preset?.dataset?.preset) return;
  form.fill(root, JSON.parse(preset.dataset.preset));
  changed(root);
}

// Typed over or reset: the form no longer shows the chosen example.
export function forgetPreset(root) {
  const choice = $(root, "[data-preset-choice]");
  if (choice) choice.value = "";
}

// "Wat heb ik nodig?": Python finds the input value that reaches a target.
export function setUpGoalSeek(root) {
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
    const request = { op: "solve", calculator: root.dataset.calculator, field: field.value };
    Object.assign(request, { output: output.value, target: target.value, inputs: valuesOf(root) });
    const response = await call(request);
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
    form.unfold(input);
    apply.hidden = true;
    changed(root);
    input.focus();
  });
}
