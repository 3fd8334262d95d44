// The inputs in the URL (?roas.ad_spend=2.500&roas.b.ad_spend=3.000), and the
// printed line that names it. The prefix comes from the build: the calculator's
// id, or `roas-2` for a page's second `roas`, so links to an only one keep working.

import { $, bInputsOf, bValuesOf, comparing, inputsOf, openScenario } from "./form.mjs";
import { setText, unfold, valuesOf } from "./form.mjs";

const urlKey = (root) => root.dataset.key || root.dataset.calculator;

// Each history.replaceState() is a round trip to the browser process: on every
// keystroke it took most of a recalculation's time. So the URL follows a pause
// in typing or a committed edit (`change`: Enter, leaving the field), and is
// brought up to date before anything reads it (link, summary, CSV, print).
const URL_PAUSE_MS = 300;

export function writeUrlSoon(root) {
  clearTimeout(root.kbUrlTimer);
  root.kbUrlTimer = setTimeout(() => writeUrl(root), URL_PAUSE_MS);
}

export function writeUrlNow(root) {
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
  const start = Object.fromEntries(inputsOf(root).map((i) => [i.name, i.defaultValue]));
  writeParams(url.searchParams, `${key}.`, a, start);
  writeParams(url.searchParams, `${key}.b.`, comparing(root) ? bValuesOf(root) : {}, a);
  if (url.href !== location.href) history.replaceState(history.state, "", url);
  writePrintLine(root);
}

// No empty parameters: a field left empty where it would otherwise be filled
// (`fallback`: the page's start value, or A's value for B) is named in one
// `<prefix>leeg` list instead ("influencer.leeg=fee_per_post+posts").
function writeParams(params, prefix, values, fallback) {
  const emptied = Object.keys(fallback).filter((name) => !values[name] && fallback[name]);
  for (const name of Object.keys(fallback)) {
    if (values[name]) params.set(prefix + name, values[name]);
    else params.delete(prefix + name);
  }
  if (emptied.length && Object.keys(values).length) params.set(`${prefix}leeg`, emptied.join(" "));
  else params.delete(`${prefix}leeg`);
}

// The value a link gives a field: its parameter, "" when listed as emptied, or
// undefined when the link does not mention it.
function linkedValue(params, prefix, name) {
  if (params.has(prefix + name)) return params.get(prefix + name);
  return (params.get(`${prefix}leeg`) ?? "").split(" ").includes(name) ? "" : undefined;
}

export function clearUrl(root) {
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

export function readUrl(root) {
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
  const linkedB = (input) => linkedValue(params, `${key}.b.`, input.dataset.bField);
  const b = bInputsOf(root).filter((input) => linkedB(input) !== undefined);
  if (b.length) {
    openScenario(root);
    for (const input of b) {
      input.value = linkedB(input);
      unfold(input);
    }
    restored = true;
  }
  return restored;
}

// Printed on paper: where the result came from and when.
export function writePrintLine(root) {
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
