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

  function unquote(text) {
    const value = text.trim();
    if (value.startsWith('"')) {
      try {
        return JSON.parse(value);
      } catch (error) {
        return value;
      }
    }
    return value;
  }

  // A YAML double-quoted scalar is a JSON string: quotes, colons and # stay text.
  function toBlock(values) {
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
    const fill = (template, parts) => template.replace(/\{(\w+)\}/g, (_, name) => parts[name]);
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

  function localToday() {
    const now = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  }

  window.KENNISBANK_EDITOR_COMPONENTS = {
    calculator: calculatorComponent,
    excerpt: excerptComponent,
    dateProblems,
  };
  if (!window.CMS) return; // loaded outside the editor (the tests read the components)

  CMS.registerEventListener({
    name: "preSave",
    handler({ entry }) {
      const problems = dateProblems(entry.get("data").toJS(), localToday());
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
