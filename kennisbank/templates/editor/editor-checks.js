// The checks on saving: the checker's own rules and Dutch messages (dates,
// forbidden characters, slugs other posts use), and each calculator block's
// starting values, judged by the calculators' Python in the site's own worker.
(function () {
  "use strict";
  const data = window.KENNISBANK_EDITOR;
  const parts = window.KENNISBANK_EDITOR_COMPONENTS;

  // The checker's rules across fields, run before saving: a refused save shows
  // the checker's own message. `values` is the entry's data, `today` YYYY-MM-DD.
  function dateProblems(values, today) {
    const day = (value) => {
      if (value instanceof Date) return value.toISOString().slice(0, 10);
      return value ? String(value).slice(0, 10) : "";
    };
    const problems = [];
    const draft = values.draft === true;
    for (const key of ["date", "updated"]) {
      const value = day(values[key]);
      if (value && value > today && !draft) {
        problems.push(`${data.labels[key]}: ${fill(data.messages.futureDate, { day: value })}`);
      }
    }
    const created = day(values.date);
    const updated = day(values.updated);
    if (created && updated && updated < created) {
      problems.push(
        `${data.labels.updated}: ${fill(data.messages.updatedTooEarly, { updated, created })}`,
      );
    }
    return problems;
  }

  function fill(template, names) {
    return template.replace(/\{(\w+)\}/g, (_, name) => names[name]);
  }

  // Every frontmatter string (the body is Markdown, which the checker reads apart):
  // the first character the checker forbids, per key, with the checker's message.
  const FORBIDDEN = new RegExp(data.forbidden, "u");
  function textProblems(values) {
    const problems = [];
    const texts = (value) =>
      typeof value === "string" ? [value]
        : Array.isArray(value) ? value.flatMap(texts)
        : value && typeof value === "object" && !(value instanceof Date) ? Object.values(value).flatMap(texts)
        : [];
    for (const [key, value] of Object.entries(values)) {
      if (key === "body") continue;
      const found = texts(value).map((text) => FORBIDDEN.exec(text)).find(Boolean);
      if (!found) continue;
      const code = "U+" + found[0].codePointAt(0).toString(16).toUpperCase().padStart(4, "0");
      problems.push(`${data.labels[key] || key}: ${fill(data.messages.forbidden, { code })}`);
    }
    return problems;
  }

  // A slug another post (another file) already has. `path` is the entry's file
  // in the backend ("" for a new post), `slugs` each slug's posts, relative to docs/.
  function slugProblems(values, path, slugs) {
    const slug = values.slug;
    if (typeof slug !== "string" || !slugs[slug]) return [];
    const own = path && path.startsWith(data.root) ? path.slice(data.root.length) : path;
    const others = slugs[slug].filter((other) => other !== own);
    if (!others.length) return [];
    return [`${data.labels.slug}: ${fill(data.messages.slugTaken, { slug, others: others.join(", ") })}`];
  }

  // The site's own calculator worker, started once: Python judges the starting
  // values with the calculators' own parser and bounds (calculators/blocks.py).
  const PYTHON_TIMEOUT_MS = 15_000;
  let python = null; // Promise of call(request) -> Promise of the response
  function startPython() {
    python ??= (async () => {
      const absolute = (url) => new URL(url, document.baseURI).href;
      const urls = data.python;
      const protocol = await import(absolute(urls.protocol));
      const start = {
        runtimeUrl: absolute(urls.runtimeUrl),
        lockfileUrl: absolute(urls.lockfileUrl),
        snapshotUrl: absolute(urls.snapshotUrl),
      };
      const worker = new Worker(absolute(urls.worker), {
        type: "module",
        name: protocol.workerName(start),
      });
      const pending = new Map();
      const ready = new Promise((resolve, reject) => {
        worker.addEventListener("message", ({ data: message }) => {
          if (message.type === protocol.READY) resolve();
          else if (message.type === protocol.FAILED) reject(new Error(message.message));
          else if (message.type === protocol.ANSWER) pending.get(message.seq)?.(message.response);
        });
        worker.addEventListener("error", () => reject(new Error("the worker failed")));
      });
      const started = performance.now();
      worker.postMessage({ type: protocol.START, ...start });
      await ready;
      console.info(`Kennisbank: Python gestart in ${Math.round(performance.now() - started)} ms`);
      let seq = 0;
      return (request) =>
        new Promise((resolve) => {
          pending.set(++seq, resolve);
          worker.postMessage({ type: protocol.CALL, seq, request });
        });
    })();
    python.catch(() => (python = null)); // the next save tries again
    return python;
  }

  async function blockProblems(body) {
    const blocks = parts.blocksToCheck(body);
    if (!blocks.length) return [];
    const started = performance.now();
    let timer;
    const late = new Promise((resolve) => (timer = setTimeout(resolve, PYTHON_TIMEOUT_MS)));
    const unchecked = [
      `${data.labels.body}: de rekenhulp-blokken konden niet worden gecontroleerd, omdat ` +
        `Python niet binnen ${PYTHON_TIMEOUT_MS / 1000} seconden startte. Er is niets ` +
        "opgeslagen; probeer het opnieuw.",
    ];
    try {
      const call = await Promise.race([startPython(), late]);
      if (!call) return unchecked;
      const answers = await Promise.race([
        Promise.all(blocks.map((b) => call({ op: "check_block", calculator: b.id, defaults: b.defaults }))),
        late,
      ]);
      if (!answers || answers.some((answer) => !answer || answer.error)) return unchecked;
      console.info(`Kennisbank: ${blocks.length} rekenhulp-blok(ken) gecontroleerd in ` +
        `${Math.round(performance.now() - started)} ms`);
      return answers
        .map((answer, i) => answer.problem && `${data.labels.body}: calculator-blok ${blocks[i].id}: ${answer.problem}`)
        .filter(Boolean);
    } catch (error) {
      console.warn("Kennisbank: Python kon niet starten:", error);
      return unchecked;
    } finally {
      clearTimeout(timer);
    }
  }

  // The posts' slugs as the latest build saw them (make edit rebuilds after each
  // save); the copy in editor-data.js if that cannot be read.
  async function currentSlugs() {
    try {
      const response = await fetch("slugs.json", { cache: "no-store" });
      if (response.ok) return await response.json();
    } catch {
      // the copy below
    }
    return data.slugs;
  }

  function localToday() {
    const now = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  }

  Object.assign(parts, {
    dateProblems,
    textProblems,
    slugProblems,
    startPython,
    blockProblems,
    currentSlugs,
    localToday,
  });
})();
