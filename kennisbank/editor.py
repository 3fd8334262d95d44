"""The web editor at /admin/ (Decap CMS), generated from the post schema.

Every key, option and limit of its configuration comes from the definitions
the post checker uses (kennisbank/posts.py), so the editor refuses, with the
checker's Dutch words, what the checker would refuse: nothing is typed twice.

/admin/ is only written when there is a backend to save to: the local proxy
`make edit` starts (scripts/edit.py), or the hosted git backend in
`extra.editor` (mkdocs.yml). Without either, a build has no /admin/ at all.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from kennisbank import blog, calculator_pages, posts, texts

# Decap's date widget writes this format (moment.js tokens): a plain YAML date.
DATE_FORMAT = "YYYY-MM-DD"
# Where uploaded images go, relative to docs/; posts link to them as images/<file>.
MEDIA_FOLDER = "blog/posts/images"

HINTS = {
    "title": "De kop van het artikel, zoals lezers hem zien in de lijst en bovenaan de pagina.",
    "description": "Eén of twee zinnen voor zoekmachines, de lijst met artikelen en link-previews.",
    "date": "De publicatiedatum. Een datum in de toekomst mag alleen bij een concept.",
    "updated": "Alleen invullen als je het artikel later flink hebt bijgewerkt; "
    "op of na de publicatiedatum.",
    "authors": "Wie het artikel schreef. Een nieuwe auteur zet de beheerder in blog/.authors.yml.",
    "categories": "Kies minstens één onderwerp; de lijst staat in mkdocs.yml.",
    "slug": "Het laatste stuk van het webadres. Leeg laten: dan maakt de site het uit de titel.",
    "draft": "Aan: alleen zichtbaar in de voorvertoning, niet op de gepubliceerde site. "
    "Zet het uit om te publiceren.",
    "calculators": "Rekenhulpen die onder het artikel worden aangeraden.",
    "image": "De afbeelding die sociale media bij een gedeelde link tonen.",
    "body": "De tekst van het artikel. Zet de inleiding boven de regel <!-- more -->: "
    "die staat ook in de lijst met artikelen. Een rekenhulp voeg je in met de knop "
    "'+' en dan 'Rekenhulp'.",
}
LABELS = {
    "title": "Titel",
    "description": "Samenvatting",
    "date": "Datum",
    "updated": "Bijgewerkt op",
    "authors": "Auteurs",
    "categories": "Categorieën",
    "slug": "Webadres (slug)",
    "draft": "Concept",
    "calculators": "Aanbevolen rekenhulpen",
    "image": "Afbeelding voor link-previews",
    "body": "Tekst",
}


def label(key: str) -> str:
    """The field's Dutch name with its key, which the checker's messages name."""
    return f"{LABELS[key]} ({key})"


def hint(key: str) -> str:
    if key == "description":
        return f"{HINTS[key]} {posts.description_advice().capitalize()}."
    return HINTS[key]


def calculator_titles() -> dict[str, str]:
    from calculators import registry

    return {key: calculator.title for key, calculator in registry.items()}


def description_pattern(low: int, high: int) -> str:
    """A JavaScript regex true when the text, stripped, is low to high characters.

    Decap compiles it without the u flag, where a character class matches one UTF-16 unit; a
    surrogate pair (an emoji) must count as one character, as len() counts it.
    """
    character = r"(?:[\uD800-\uDBFF][\uDC00-\uDFFF]|[^\uD800-\uDBFF])"
    return rf"^\s*(?=\S){character}{{{low},{high}}}(?<=\S)\s*$"


def _options(ids: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"label": label, "value": value} for value, label in ids.items()]


def fields(
    schema: posts.Schema, authors: Mapping[str, str], root: str = ""
) -> list[dict[str, Any]]:
    """One Decap field per frontmatter key the checker allows, in its order, then the body."""
    low, high = posts.DESCRIPTION_LENGTH
    calculators = calculator_titles()
    by_key: dict[str, dict[str, Any]] = {
        "title": {"widget": "string"},
        "description": {
            "widget": "text",
            "pattern": [description_pattern(low, high), posts.description_advice()],
        },
        # A new post starts today; the checker allows today for a published post too.
        "date": {**_date_field(), "default": "{{now}}"},
        "updated": _date_field(),
        "authors": {"widget": "select", "multiple": True, "options": _options(authors)},
        "categories": {
            "widget": "select",
            "multiple": True,
            "min": 1,
            "options": list(schema.categories),
        },
        "slug": {"widget": "string", "pattern": [posts.SLUG_RE.pattern, posts.SLUG_MESSAGE]},
        "draft": {"widget": "boolean", "default": True},
        "calculators": {
            "widget": "select",
            "multiple": True,
            "options": _options({k: calculators[k] for k in sorted(schema.calculators)}),
        },
        # The checker reads `image` relative to docs/; in the body, images/… is
        # relative to the post, which lives next to that folder.
        "image": {
            "widget": "image",
            "choose_url": False,
            "media_folder": f"/{root}{MEDIA_FOLDER}",
            "public_folder": f"/{MEDIA_FOLDER}",
        },
    }
    result = []
    for key in posts.ALLOWED_KEYS:
        field = {"name": key, "label": label(key), "hint": hint(key), **by_key[key]}
        field["required"] = key in posts.REQUIRED_KEYS
        result.append(field)
    body: dict[str, Any] = {
        "name": "body",
        "label": label("body"),
        "hint": HINTS["body"],
        "widget": "markdown",
        "default": "",
    }
    if schema.excerpt_separator:
        separator = schema.excerpt_separator
        body["pattern"] = [r"[\s\S]*" + _regex_escape(separator), posts.excerpt_message(separator)]
        body["default"] = f"\n\n{separator}\n"
    result.append(body)
    return result


def _date_field() -> dict[str, Any]:
    return {
        "widget": "datetime",
        "format": DATE_FORMAT,
        "date_format": DATE_FORMAT,
        "time_format": False,
        "picker_utc": True,
    }


def _regex_escape(text: str) -> str:
    return "".join("\\" + c if c in r"\^$.|?*+()[]{}" else c for c in text)


def editor_config(
    schema: posts.Schema,
    authors: Mapping[str, str],
    backend: Mapping[str, Any],
    root: str = "",
) -> dict[str, Any]:
    """The whole Decap configuration; `root` is docs/ seen from the backend's repository."""
    return {
        "locale": "nl",
        "backend": dict(backend),
        "media_folder": f"{root}{MEDIA_FOLDER}",
        "public_folder": "images",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [
            {
                "name": "posts",
                "label": "Artikelen",
                "label_singular": "Artikel",
                "description": "Blogposts. Nieuwe artikelen zijn een concept tot je "
                "'Concept' uitzet.",
                "folder": f"{root}blog/posts",
                "extension": "md",
                "format": "frontmatter",
                "create": True,
                "slug": "{{slug}}",
                "identifier_field": "title",
                "summary": "{{title}} · {{draft | ternary('concept', 'gepubliceerd')}}",
                "sortable_fields": ["date", "title", "draft"],
                "view_filters": [{"label": "Concepten", "field": "draft", "pattern": True}],
                "fields": fields(schema, authors, root),
            }
        ],
    }


def dump(data: Mapping[str, Any]) -> str:
    return yaml.safe_dump(dict(data), allow_unicode=True, sort_keys=False, width=10_000)


# -- Where the editor talks to, and its Content-Security-Policy ---------------

# Set by `make edit` (scripts/edit.py): the local proxy's API, e.g. http://127.0.0.1:8081/api/v1.
PROXY_ENV = "KENNISBANK_EDITOR_PROXY"
# Decap's default API address per hosted backend; Gitea has none (api_root is required).
DEFAULT_API_ROOTS = {
    "github": "https://api.github.com",
    "gitlab": "https://gitlab.com/api/v4",
}


@dataclass(frozen=True)
class Backend:
    """Decap's `backend` settings, and the folder of docs/ inside that backend's files."""

    settings: Mapping[str, Any]
    root: str

    @property
    def api_origin(self) -> str | None:
        url = self.settings.get("proxy_url") or self.settings.get("api_root")
        url = url or DEFAULT_API_ROOTS.get(str(self.settings.get("name")))
        if not url:
            return None
        parts = urlsplit(str(url))
        return f"{parts.scheme}://{parts.netloc}"


def backend_from(
    extra_editor: object, docs_root: str, environ: Mapping[str, str]
) -> Backend | None:
    """The local proxy under `make edit`, else `extra.editor` from mkdocs.yml, else none."""
    proxy = environ.get(PROXY_ENV)
    if proxy:
        # decap-server serves docs/ itself: paths in the config start inside it.
        return Backend({"name": "proxy", "proxy_url": proxy}, "")
    if isinstance(extra_editor, Mapping) and extra_editor:
        return Backend(dict(extra_editor), docs_root)
    return None


# What Decap CMS needs beyond the site's own policy (see the README):
# - 'unsafe-eval': the bundle compiles its config schema with AJV (new Function);
# - style-src 'unsafe-inline': React and Emotion write <style> elements and style attributes;
# - img-src blob: data:: previews of uploaded images and the bundle's own icons;
# - connect-src: the site, the backend's API and blob: (uploads), nothing else.
def admin_policy(backend: Backend, header: bool = False) -> str:
    # blob:: Decap reads an uploaded image back from its blob: URL to save it.
    connect = ["'self'", "blob:"] + ([backend.api_origin] if backend.api_origin else [])
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-eval'", "'report-sample'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": connect,
        "frame-src": ["'self'"],
        "worker-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
    if header:
        directives["frame-ancestors"] = ["'none'"]
    return "; ".join(" ".join([name, *values]) for name, values in directives.items())


# -- Writing /admin/ ----------------------------------------------------------------

TEMPLATES = Path(__file__).parent / "templates" / "editor"
# The editor's own scripts, in the order the page loads them: each adds its parts
# to window.KENNISBANK_EDITOR_COMPONENTS, and editor.js registers them with Decap.
EDITOR_SCRIPTS = ("editor-blocks.js", "editor-checks.js", "editor.js")
ADMIN_DIR = "admin"


class EditorMissing(RuntimeError):
    """The Decap CMS bundle is not installed (node_modules)."""


def backend_for(config: Mapping[str, Any], environ: Mapping[str, str]) -> Backend | None:
    """The backend of this build, from a loaded MkDocs config and the environment."""
    root = Path(config["config_file_path"]).absolute().parent
    docs_root = Path(config["docs_dir"]).absolute().relative_to(root).as_posix() + "/"
    return backend_from(config["extra"].get("editor"), docs_root, environ)


def bundle_source(project: Path) -> Path:
    source = project / "node_modules" / "decap-cms"
    if not (source / "dist" / "decap-cms.js").is_file():
        raise EditorMissing(
            f"Decap CMS ontbreekt in {source}. Installeer het met 'make setup' of 'npm ci'."
        )
    return source


def editor_data(
    schema: posts.Schema,
    python: Mapping[str, str] | None = None,
    slugs: Mapping[str, list[str]] | None = None,
    root: str = "",
) -> dict[str, object]:
    """What the editor's scripts need, all from the checker's and the calculators' own definitions.

    `python`: where the site's calculator worker and Python live (relative to /admin/);
    `slugs`: each slug the posts use, with the posts (relative to docs/) that use it;
    `root`: docs/ inside the backend's files, which Decap's entry paths start with.
    """
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
        "python": dict(python or {}),
        "slugs": dict(slugs or {}),
        "root": root,
        # The checker's forbidden characters, as a JavaScript class (with the u flag).
        "forbidden": forbidden_class(),
        # The rules across fields or posts, which Decap's per-field checks cannot
        # express; editor-checks.js fills in the {names}.
        "messages": {
            "futureDate": posts.future_date_message("{day}"),
            "updatedTooEarly": posts.updated_too_early_message("{updated}", "{created}"),
            "slugTaken": posts.slug_taken_message("{slug}", "{others}"),
            "forbidden": texts.control_character_message("{code}"),
        },
        "labels": {key: label(key) for key in (*posts.ALLOWED_KEYS, "body")},
    }


def forbidden_class() -> str:
    """texts.XML_FORBIDDEN as a JavaScript character class, read with the u flag."""
    ranges = "".join(f"\\u{{{low:x}}}-\\u{{{high:x}}}" for low, high in texts.XML_ALLOWED)
    return f"[^{ranges}]"


def post_slugs(config: Mapping[str, Any]) -> dict[str, list[str]]:
    """Each slug set in a post's frontmatter, with the posts (relative to docs/) using it."""
    docs = Path(config["docs_dir"])
    owners: dict[str, list[str]] = {}
    for path in posts.post_files(posts.posts_dir_from_config(config)):
        post, _ = posts.read_post(docs, path)
        slug = post.meta.get("slug") if post else None
        if isinstance(slug, str):
            owners.setdefault(slug, []).append(post.path)
    return owners


def preview_css(site: Path, extra_css: list[str]) -> str:
    """The site's own stylesheets (Material's built CSS and ours) for the preview pane."""
    built = sorted(site.glob("assets/stylesheets/main.*.min.css")) + sorted(
        site.glob("assets/stylesheets/palette.*.min.css")
    )
    sheets = [path.relative_to(site).as_posix() for path in built] + list(extra_css)
    imports = "".join(f'@import url("../{sheet}");\n' for sheet in sheets)
    return imports + "body { margin: 0 1.2rem; }\n"


def authors_by_id(config: Mapping[str, Any]) -> dict[str, str]:
    entries = blog.read_authors(blog.authors_file_from_config(config))
    return {key: str(entry.get("name") or key) for key, entry in entries.items()}


def write_admin(config: Mapping[str, Any], chosen: Backend) -> None:
    """/admin/ in the built site: page, config.yml, the CMS bundle and our additions."""
    site = Path(config["site_dir"])
    admin = site / ADMIN_DIR
    admin.mkdir(parents=True, exist_ok=True)
    schema = posts.schema_from_config(config)
    settings = editor_config(schema, authors_by_id(config), chosen.settings, chosen.root)
    (admin / "config.yml").write_text(dump(settings), encoding="utf-8")

    source = bundle_source(Path(config["config_file_path"]).absolute().parent)
    version = json.loads((source / "package.json").read_text(encoding="utf-8"))["version"]
    bundle_dir = admin / "decap-cms" / version
    bundle_dir.mkdir(parents=True, exist_ok=True)
    # The bundle loads its chunks from its own folder; the source maps stay home.
    for chunk in (source / "dist").glob("*decap-cms.js"):
        target = bundle_dir / chunk.name
        if not target.exists() or target.stat().st_size != chunk.stat().st_size:
            shutil.copyfile(chunk, target)

    python = {k: f"../{v}" for k, v in calculator_pages.python_paths(config).items()}
    slugs = post_slugs(config)
    # editor-checks.js reads slugs.json again on saving: make edit rewrites it after each save.
    (admin / "slugs.json").write_text(json.dumps(slugs, ensure_ascii=False), "utf-8")
    data = json.dumps(editor_data(schema, python, slugs, chosen.root), ensure_ascii=False)
    (admin / "editor-data.js").write_text(f"window.KENNISBANK_EDITOR = {data};\n", "utf-8")
    for script in EDITOR_SCRIPTS:
        shutil.copyfile(TEMPLATES / script, admin / script)
    (admin / "preview.css").write_text(preview_css(site, config["extra_css"]), "utf-8")
    page = (TEMPLATES / "index.html").read_text(encoding="utf-8")
    (admin / "index.html").write_text(
        page.format(
            policy=admin_policy(chosen),
            site_name=config["site_name"],
            bundle=f"decap-cms/{version}/decap-cms.js",
        ),
        encoding="utf-8",
    )
