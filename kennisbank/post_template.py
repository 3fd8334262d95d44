"""The text of a new post (`make new-post`), and which of it is only a placeholder.

One source for both: scripts/new_post.py writes it, and a build for
publication (kennisbank/deployment.py) refuses a published post that still has
any of the placeholder sentences.
"""

from __future__ import annotations

import datetime as dt

import yaml

DESCRIPTION = (
    "Vervang deze zin door een samenvatting van 50 tot 160 tekens: waar gaat het "
    "artikel over en wat heeft de lezer eraan?"
)
INTRODUCTION = "Schrijf hier de inleiding: die staat ook in de lijst met artikelen."
REST = "De rest van het artikel."
# A sentence counts as left in when its opening words are (up to the colon):
# an editor who changed only its end has not written the text yet either.
PLACEHOLDERS = tuple(sentence.split(":", 1)[0] for sentence in (DESCRIPTION, INTRODUCTION, REST))


def _scalar(value: str) -> str:
    """A YAML scalar that reads back as exactly this text (quotes, colons, #)."""
    return yaml.safe_dump(value, allow_unicode=True, default_style='"', width=10_000).strip()


def post_text(title: str, slug: str, day: dt.date, author: str, category: str) -> str:
    return f"""---
title: {_scalar(title)}
description: {_scalar(DESCRIPTION)}
date: {day.isoformat()}
authors:
  - {author}
# Kies een of meer categorieën uit categories_allowed in mkdocs.yml.
categories:
  - {_scalar(category)}
slug: {slug}
# Zet draft op false (of haal de regel weg) om het artikel te publiceren.
draft: true
---

{INTRODUCTION}

<!-- more -->

## Eerste tussenkop

{REST}
"""


def placeholders_in(text: str) -> list[str]:
    """The placeholder sentences (their opening words) still in `text`."""
    return [placeholder for placeholder in PLACEHOLDERS if placeholder in text]
