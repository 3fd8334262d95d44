// Reading and filling a calculator's form: its fields, scenario B's fields,
// the notes and errors next to them, and the groups that fold them away.

export const $ = (root, selector) => root.querySelector(selector);
export const $$ = (root, selector) => [...root.querySelectorAll(selector)];
export const by = (attribute, name) => `[${attribute}="${CSS.escape(name)}"]`;

export const inputsOf = (root) => $$(root, "input[name]");
export const bInputsOf = (root) => $$(root, "input[data-b-field]");

export const valuesOf = (root) => Object.fromEntries(inputsOf(root).map((i) => [i.name, i.value]));

export function bValuesOf(root) {
  return Object.fromEntries(bInputsOf(root).map((input) => [input.dataset.bField, input.value]));
}

export const comparing = (root) => root.dataset.scenario === "b";

export function openScenario(root) {
  const values = valuesOf(root);
  for (const input of bInputsOf(root)) input.value = values[input.dataset.bField] ?? "";
  root.dataset.scenario = "b";
}

export function closeScenario(root) {
  delete root.dataset.scenario;
  for (const input of bInputsOf(root)) input.value = "";
}

export function fill(root, values) {
  for (const input of inputsOf(root)) {
    input.value = values[input.name] ?? "";
    if (input.value) unfold(input);
  }
}

export const setText = (element, text) => element && (element.textContent = text ?? "");

export function setInvalid(input, message) {
  if (message) input.setAttribute("aria-invalid", "true");
  else input.removeAttribute("aria-invalid");
}

// A folded group (influencer: Kosten, Resultaten) opens when it holds
// something the reader must see: a restored value, a preset, an error.
export function unfold(input) {
  const group = input.closest("details");
  if (group) group.open = true;
}

// "12,5%" typed where a "%" is shown already: show the unit once.
export function markTypedUnits(root) {
  for (const input of [...inputsOf(root), ...bInputsOf(root)]) {
    const control = input.parentElement;
    const unit = $(control, ".kb-field__unit")?.textContent.trim();
    control.toggleAttribute("data-unit-typed", Boolean(unit) && input.value.includes(unit));
  }
}
