// The Kennisbank additions to Decap CMS, registered: the blocks (editor-blocks.js),
// the checks on saving (editor-checks.js) and a preview in the site's own styles.
(function () {
  "use strict";
  const parts = window.KENNISBANK_EDITOR_COMPONENTS;
  if (!window.CMS) return; // loaded outside the editor (the tests read the parts)

  CMS.registerEventListener({
    name: "preSave",
    async handler({ entry }) {
      const values = entry.get("data").toJS();
      const problems = [
        ...parts.dateProblems(values, parts.localToday()),
        ...parts.textProblems(values),
        ...parts.slugProblems(values, entry.get("path") || "", await parts.currentSlugs()),
      ];
      if (!problems.length) problems.push(...(await parts.blockProblems(values.body)));
      if (problems.length) throw new Error(problems.join(" "));
    },
  });
  CMS.registerEditorComponent(parts.calculator);
  if (parts.excerpt) CMS.registerEditorComponent(parts.excerpt);
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
