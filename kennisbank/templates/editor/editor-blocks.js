// The editor's blocks for Decap CMS: "Rekenhulp" (a ```calculator fence) and the
// end of the introduction. The calculators and their fields come from
// editor-data.js, which the build writes from calculators/.
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
    // Python starts while the editor types, so the check on saving rarely waits.
    if (window.CMS && (values.defaults || []).length) parts.startPython().catch(() => {});
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

  const parts = (window.KENNISBANK_EDITOR_COMPONENTS = {
    calculator: calculatorComponent,
    excerpt: excerptComponent,
    blocksToCheck,
  });
})();
