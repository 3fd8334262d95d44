// The Kennisbank additions to Decap CMS: the "Rekenhulp" block, the end of the
// introduction, and a preview in the site's own styles. The calculators and
// their fields come from editor-data.js, which the build writes from calculators/.
(function () {
  "use strict";
  const data = window.KENNISBANK_EDITOR;
  // Decap matches a block's pattern at the start of the remaining text, without flags.
  const FENCE_RE = /^```calculator\n([\s\S]*?)\n?```(?=\n|$)/;

  // Reads what toBlock writes (and hand-written blocks of the same shape).
  function parseFence(source) {
    const result = { id: "", defaults: [] };
    let inDefaults = false;
    for (const line of source.split("\n")) {
      const top = /^(id|defaults):\s*(.*)$/.exec(line);
      if (top) {
        inDefaults = top[1] === "defaults";
        if (top[1] === "id") result.id = unquote(top[2]);
        continue;
      }
      const child = /^\s+([A-Za-z0-9_]+):\s*(.*)$/.exec(line);
      if (inDefaults && child) {
        result.defaults.push({ field: `${result.id}.${child[1]}`, value: unquote(child[2]) });
      }
    }
    return result;
  }

  // A YAML scalar on one line, as the build reads it (hand-written blocks too):
  // "double" (JSON's escapes), 'single' ('' is a quote), or plain up to a # comment.
  function unquote(text) {
    const value = text.trim();
    const doubled = /^("(?:[^"\\]|\\.)*")\s*(?:#.*)?$/.exec(value);
    if (doubled) {
      try {
        return JSON.parse(doubled[1]);
      } catch (error) {
        return value;
      }
    }
    const single = /^'((?:[^']|'')*)'\s*(?:#.*)?$/.exec(value);
    if (single) return single[1].replace(/''/g, "'");
    return value.replace(/\s+#.*$/, "");
  }

  // A YAML double-quoted scalar is a JSON string: quotes, colons and # stay text.
  function toBlock(values) {
    if (window.CMS && (values.defaults || []).length) startPython().catch(() => {});
    const id = values.id || data.calculators[0].id;
    const lines = ["```calculator", `id: ${id}`];
    const defaults = (values.defaults || []).filter(
      (item) => item && item.field && String(item.field).startsWith(`${id}.`) &&
        String(item.value ?? "").trim() !== "",
    );
    if (defaults.length) {
      lines.push("defaults:");
      for (const item of defaults) {
        lines.push(`  ${String(item.field).slice(id.length + 1)}: ${JSON.stringify(String(item.value).trim())}`);
      }
    }
    lines.push("```");
    return lines.join("\n");
  }

  function fieldOptions() {
    const options = [];
    for (const calculator of data.calculators) {
      for (const field of calculator.fields) {
        options.push({
          label: `${calculator.title} · ${field.label}`,
          value: `${calculator.id}.${field.name}`,
        });
      }
    }
    return options;
  }

  const calculatorComponent = {
    id: "calculator",
    label: "Rekenhulp",
    fields: [
      {
        name: "id",
        label: "Rekenhulp",
        widget: "select",
        default: data.calculators[0].id,
        options: data.calculators.map((c) => ({ label: c.title, value: c.id })),
        hint: "Welke rekenhulp in de tekst komt te staan.",
      },
      {
        name: "defaults",
        label: "Startwaarden",
        label_singular: "startwaarde",
        widget: "list",
        required: false,
        default: [],
        summary: "{{fields.field}} = {{fields.value}}",
        hint: "Cijfers waarmee het formulier opent, zoals lezers ze typen: 2.500, € 1.250,50 " +
          "of 12,5%. Alleen velden van de gekozen rekenhulp tellen mee.",
        fields: [
          { name: "field", label: "Veld", widget: "select", options: fieldOptions() },
          { name: "value", label: "Waarde", widget: "string" },
        ],
      },
    ],
    pattern: FENCE_RE,
    fromBlock(match) {
      return parseFence(match[1]);
    },
    toBlock,
    toPreview(values) {
      const calculator = data.calculators.find((c) => c.id === values.id);
      const title = calculator ? calculator.title : values.id;
      return `<div class="admonition example"><p class="admonition-title">Rekenhulp: ${escapeHtml(title)}</p><p>Op de site staat hier het formulier, met de uitkomst.</p></div>`;
    },
  };

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  }

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  const separator = data.excerptSeparator;
  const excerptComponent = separator && {
    id: "excerpt",
    label: "Einde inleiding",
    fields: [],
    pattern: new RegExp("^" + escapeRegExp(separator) + "(?=\\n|$)"),
    fromBlock() {
      return {};
    },
    toBlock() {
      return separator;
    },
    toPreview() {
      return '<hr title="Einde van de inleiding">';
    },
  };

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

  function fill(template, parts) {
    return template.replace(/\{(\w+)\}/g, (_, name) => parts[name]);
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

  // The calculator blocks in the body whose id or starting values Python must judge:
  // [{id, defaults: {field: text}}]. A block without defaults of a known calculator
  // shows the calculator's own examples, which always pass.
  function blocksToCheck(body) {
    const blocks = [];
    for (const match of String(body || "").matchAll(/^```calculator\n([\s\S]*?)\n?```$/gm)) {
      const block = parseFence(match[1]);
      const known = data.calculators.some((c) => c.id === block.id);
      if (known && !block.defaults.length) continue;
      const defaults = {};
      for (const item of block.defaults) defaults[item.field.slice(block.id.length + 1)] = item.value;
      blocks.push({ id: block.id, defaults });
    }
    return blocks;
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
    const blocks = blocksToCheck(body);
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

  window.KENNISBANK_EDITOR_COMPONENTS = {
    calculator: calculatorComponent,
    excerpt: excerptComponent,
    dateProblems,
    textProblems,
    slugProblems,
    blocksToCheck,
  };
  if (!window.CMS) return; // loaded outside the editor (the tests read the components)

  CMS.registerEventListener({
    name: "preSave",
    async handler({ entry }) {
      const values = entry.get("data").toJS();
      const problems = [
        ...dateProblems(values, localToday()),
        ...textProblems(values),
        ...slugProblems(values, entry.get("path") || "", await currentSlugs()),
      ];
      if (!problems.length) problems.push(...(await blockProblems(values.body)));
      if (problems.length) throw new Error(problems.join(" "));
    },
  });
  CMS.registerEditorComponent(calculatorComponent);
  if (excerptComponent) CMS.registerEditorComponent(excerptComponent);
  CMS.registerPreviewStyle("preview.css");
  CMS.registerPreviewTemplate(
    "posts",
    createClass({
      render() {
        const entry = this.props.entry;
        return h(
          "div",
          { className: "md-content" },
          h(
            "article",
            { className: "md-content__inner md-typeset" },
            h("h1", {}, entry.getIn(["data", "title"])),
            this.props.widgetFor("body"),
          ),
        );
      },
    }),
  );
})();
