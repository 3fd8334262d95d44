// Kennisbank calculators: thin browser glue, the page's entry module. The page
// shows the form and the build-time result; this starts Python in a Web Worker
// when a calculator is on screen, comes into view or gets focus, sends every
// input change to it and writes the answer into the DOM (SPEC §5.7). Nothing
// about fields or formulas lives here. Every module is imported from here, so
// the browser fetches them all at once (the build preloads them too).

import { $, inputsOf, markTypedUnits } from "./form.mjs";
import { changed, goLive } from "./live.mjs";
import "./protocol.mjs";
import { createWorker, startPython } from "./runtime.mjs";
import { forgetPreset, onChange, onClick, setUpGoalSeek } from "./tools.mjs";
import { readUrl, writePrintLine, writeUrlNow } from "./url-state.mjs";

const setUpRoots = new WeakSet();

function onScreen(element) {
  const box = element.getBoundingClientRect();
  return box.bottom > 0 && box.top < innerHeight && box.width > 0;
}

// fn() once `element` is on screen: at once if it is (or without IntersectionObserver).
function whenSeen(element, fn) {
  if (onScreen(element) || !("IntersectionObserver" in window)) return fn();
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
  root.kbShownFor = Object.fromEntries(inputsOf(root).map((i) => [i.name, i.defaultValue]));
  root.addEventListener("input", (event) => {
    if (!event.target.matches("input[name], input[data-b-field]")) return;
    if (event.target.matches("input[name]")) forgetPreset(root);
    changed(root);
  });
  root.addEventListener("change", (event) => {
    onChange(root, event);
    writeUrlNow(root);
  });
  root.addEventListener("focusin", () => goLive(root), { once: true });
  root.addEventListener("click", (event) => onClick(root, event));
  setUpGoalSeek(root);
  const restored = readUrl(root);
  markTypedUnits(root);
  writePrintLine(root);

  // A shared link starts Python right away; otherwise the calculator does once
  // it is seen: at once if it is on screen already (Python itself may be on its
  // way by then: watchWhileParsing()), else when it scrolls into view.
  if (restored) goLive(root);
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

// Material's instant navigation swaps pages without reloading this module;
// its `document$` observable (defined by Material's script) announces each one.
function whenParsed() {
  setUpAll();
  window.document$?.subscribe?.(setUpAll);
}

// Loaded with `async` at the top of the content, this usually runs while the
// rest of the page is parsed, and otherwise (a slow download of this file) once
// it is. Either way the calculators are watched or set up before the worker is
// created: one on screen starts Python at once (its worker is told so by its
// name), else the worker boots meanwhile.
watchWhileParsing();
if (document.readyState !== "loading") whenParsed();
else document.addEventListener("DOMContentLoaded", whenParsed, { once: true });
createWorker();
