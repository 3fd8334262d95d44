"""The web editor's configuration (Decap CMS), generated from the post schema.

Every key, option and limit comes from the definitions the post checker uses,
so the editor refuses, with the checker's Dutch words, what the checker would
refuse: nothing here is typed twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import yaml

from hooks import posts

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


# TODO(schema): move next to the checker's messages.
SLUG_MESSAGE = "mag alleen kleine letters a-z, cijfers en koppeltekens bevatten"


def description_advice() -> str:
    low, high = posts.DESCRIPTION_LENGTH
    return f"gebruik {low} tot {high} tekens"


def excerpt_advice(separator: str) -> str:
    return f"mist de regel {separator}; zet die na de inleiding"


def calculator_titles() -> dict[str, str]:
    from calculators import registry

    return {key: calc.title for key, calc in registry.items()}


def description_pattern(low: int, high: int) -> str:
    """A JavaScript regex true when the text, stripped, is low to high characters."""
    return rf"^\s*(?=\S)[\s\S]{{{low},{high}}}(?<=\S)\s*$"


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
            "pattern": [description_pattern(low, high), description_advice()],
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
        "slug": {"widget": "string", "pattern": [posts.SLUG_RE.pattern, SLUG_MESSAGE]},
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
        field = {"name": key, "label": LABELS[key], "hint": HINTS[key], **by_key[key]}
        field["required"] = key in posts.REQUIRED_KEYS
        result.append(field)
    body: dict[str, Any] = {
        "name": "body",
        "label": LABELS["body"],
        "hint": HINTS["body"],
        "widget": "markdown",
        "default": "",
    }
    if schema.excerpt_separator:
        separator = schema.excerpt_separator
        body["pattern"] = [r"[\s\S]*" + _regex_escape(separator), excerpt_advice(separator)]
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


def config(
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
