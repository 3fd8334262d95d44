"""The web editor at /admin/: Decap CMS, self-hosted, configured from the post schema.

It is only written when there is a backend to save to: the local proxy that
`make edit` starts, or the hosted git backend in `extra.editor` (mkdocs.yml).
Without either, a build has no /admin/ at all.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from mkdocs.exceptions import Abort

from hooks import editor_config, posts

TEMPLATES = Path(__file__).parent / "templates" / "editor"
ADMIN_DIR = "admin"


def backend(config) -> editor_config.Backend | None:
    root = Path(config.config_file_path).absolute().parent
    docs_root = Path(config["docs_dir"]).absolute().relative_to(root).as_posix() + "/"
    return editor_config.backend_from(config["extra"].get("editor"), docs_root, os.environ)


def bundle_source(config) -> Path:
    source = Path(config.config_file_path).absolute().parent / "node_modules" / "decap-cms"
    if not (source / "dist" / "decap-cms.js").is_file():
        raise Abort(
            f"Decap CMS ontbreekt in {source}. Installeer het met 'make setup' of 'npm ci'."
        )
    return source


def editor_data(schema: posts.Schema) -> dict[str, object]:
    """What editor.js needs to know: the calculators and their fields, the excerpt marker."""
    from calculators import registry

    return {
        "calculators": [
            {
                "id": calculator.id,
                "title": calculator.title,
                "fields": [{"name": f.name, "label": f.label} for f in calculator.fields],
            }
            for key, calculator in registry.items()
            if key in schema.calculators
        ],
        "excerptSeparator": schema.excerpt_separator,
    }


def preview_css(site: Path, extra_css: list[str]) -> str:
    """The site's own stylesheets for the editor's preview pane."""
    built = sorted(site.glob("assets/stylesheets/main.*.min.css")) + sorted(
        site.glob("assets/stylesheets/palette.*.min.css")
    )
    sheets = [path.relative_to(site).as_posix() for path in built] + list(extra_css)
    imports = "".join(f'@import url("../{sheet}");\n' for sheet in sheets)
    return imports + "body { margin: 0 1.2rem; }\n"


def write_admin(config, chosen: editor_config.Backend) -> None:
    site = Path(config["site_dir"])
    admin = site / ADMIN_DIR
    admin.mkdir(parents=True, exist_ok=True)
    schema = posts.schema_from_config(config)
    authors = {
        key: str(entry.get("name") or key)
        for key, entry in posts.read_authors(posts.authors_file_from_config(config)).items()
    }
    settings = editor_config.config(schema, authors, chosen.settings, chosen.root)
    (admin / "config.yml").write_text(editor_config.dump(settings), encoding="utf-8")

    source = bundle_source(config)
    version = json.loads((source / "package.json").read_text(encoding="utf-8"))["version"]
    bundle_dir = admin / "decap-cms" / version
    bundle_dir.mkdir(parents=True, exist_ok=True)
    # The bundle loads its chunks from its own folder; the source maps stay home.
    for chunk in (source / "dist").glob("*decap-cms.js"):
        target = bundle_dir / chunk.name
        if not target.exists() or target.stat().st_size != chunk.stat().st_size:
            shutil.copyfile(chunk, target)

    data = json.dumps(editor_data(schema), ensure_ascii=False)
    (admin / "editor-data.js").write_text(f"window.KENNISBANK_EDITOR = {data};\n", "utf-8")
    shutil.copyfile(TEMPLATES / "editor.js", admin / "editor.js")
    (admin / "preview.css").write_text(preview_css(site, config["extra_css"]), "utf-8")
    page = (TEMPLATES / "index.html").read_text(encoding="utf-8")
    (admin / "index.html").write_text(
        page.format(
            policy=editor_config.admin_policy(chosen),
            site_name=config["site_name"],
            bundle=f"decap-cms/{version}/decap-cms.js",
        ),
        encoding="utf-8",
    )


def on_post_build(config):
    chosen = backend(config)
    if chosen is not None:
        write_admin(config, chosen)
