"""Holes closed in the site build (issue 11): YAML bombs and repeated keys, fences
inside code, fence options, image types, the excerpt marker in code, hostile
author fields, and the deployment defaults (site_url, robots.txt, generator)."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kennisbank.fence import FenceError, parse_block
from kennisbank.fences import fence_problems
from kennisbank.posts import Schema, load_and_check

from .support import ROOT, TEST_SITE_URL, article_html, build, copy_project, visible_text

BOMB = (
    "id: roas\ndefaults:\n"
    '  a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]\n'
    "  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    "  revenue: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
)

# -- Safe YAML in calculator blocks -----------------------------------------------------


@pytest.mark.parametrize(
    ("block", "line", "message"),
    [
        (BOMB, 3, "gebruik geen YAML-ankers of -verwijzingen (& en *)"),
        ("id: &x roas\n", 1, "gebruik geen YAML-ankers of -verwijzingen"),
        ("id: roas\nid: cpl\n", 2, "de sleutel 'id' staat er meer dan eens"),
        ("id: roas\ntitle: a\ntitle: b\n", 3, "de sleutel 'title' staat er meer dan eens"),
        (
            "id: roas\ndefaults:\n  revenue: 1\n  ad_spend: 2\n  revenue: 3\n",
            5,
            "de sleutel 'revenue' staat er meer dan eens",
        ),
        ("id: roas\ndefaults:\n  revenue: [1, 2]\n", 3, "'revenue' moet één waarde zijn"),
        ("id: [roas]\n", 1, "onbekende rekenhulp '['roas']'"),
        ("id: roas\n" + "# opmerking\n" * 400, 1, "is te groot (4809 tekens); een rekenhulp-"),
    ],
)
def test_unsafe_yaml_in_a_block_is_a_dutch_error_on_its_line(
    block: str, line: int, message: str
) -> None:
    started = time.monotonic()
    with pytest.raises(FenceError) as caught:
        parse_block(block)
    assert time.monotonic() - started < 1, "a bomb must be refused, not expanded"
    assert (caught.value.line, caught.value.message[: len(message)]) == (line, message)


def test_a_wrong_default_is_echoed_short_and_on_one_line() -> None:
    with pytest.raises(FenceError) as caught:
        parse_block("id: cpl\ndefaults:\n  leads: '" + "9" * 3000 + "x'\n")
    assert len(caught.value.message) < 200
    assert "…" in caught.value.message


# -- Only top-level fences are live; options on the opening line are an error ---------------

README_EXAMPLE = """# Voorbeeld

````markdown
```calculator
id: roas
defaults:
  ad_spnd: 2.500
```
````

~~~text
```calculator
id: bestaat-niet
```
~~~
"""


def test_a_calculator_example_inside_a_code_block_is_not_checked() -> None:
    assert fence_problems(README_EXAMPLE, "x.md") == []


def test_a_fence_after_an_unclosed_one_is_still_checked() -> None:
    page = "~~~python\nprint(1)\n\n```calculator\nid: nee\n```\n"
    (problem,) = fence_problems(page, "x.md")
    assert problem.startswith("x.md:5: rekenhulp: onbekende rekenhulp 'nee'; kies uit cpl, roas")


@pytest.mark.parametrize(
    ("opening", "shown"),
    [
        ('```calculator title="x"', 'title="x"'),
        ("```calculator roas", "roas"),
        ('``` { .calculator title="x" }', 'title="x"'),
        ("~~~calculator {id=roas}", "{id=roas}"),
    ],
)
def test_options_on_the_opening_line_are_an_error_naming_file_and_line(
    opening: str, shown: str
) -> None:
    page = f"Tekst.\n\n{opening}\nid: roas\n{opening[:3]}\n"
    assert fence_problems(page, "x/p.md") == [
        f"x/p.md:3: rekenhulp: onbekende instelling op de openingsregel ('{shown}'); "
        "schrijf alleen ```calculator en zet id en defaults in het blok"
    ]


def test_other_languages_and_plain_fences_are_left_alone() -> None:
    page = "```calculators\nx\n```\n\n```calculator-example\ny\n```\n\n```\nid: x\n```\n"
    assert fence_problems(page, "x.md") == []


# -- Frontmatter: bombs, repeated keys, XML-forbidden characters, image, excerpt --------------

TODAY = dt.date(2026, 11, 23)
HEAD = (
    "title: Een titel\n"
    "description: Een beschrijving van precies genoeg tekens om geldig te zijn, echt waar.\n"
    "date: 2025-06-10\nauthors: [redactie]\ncategories: [Strategie]\n"
)


def post_problems(tmp_path: Path, frontmatter: str, body: str = "Tekst.\n\n<!-- more -->\n"):
    (tmp_path / "blog" / "posts").mkdir(parents=True, exist_ok=True)
    (tmp_path / "blog" / ".authors.yml").write_text("authors: {}\n", encoding="utf-8")
    (tmp_path / "assets").mkdir(exist_ok=True)
    (tmp_path / "assets" / "foto.webp").write_bytes(b"RIFF")
    path = tmp_path / "blog" / "posts" / "p.md"
    path.write_text(f"---\n{frontmatter}---\n\n{body}", encoding="utf-8")
    schema = Schema(
        authors=frozenset({"redactie"}),
        categories=("Strategie",),
        calculators=frozenset({"roas"}),
        docs_dir=tmp_path,
        today=TODAY,
        excerpt_separator="<!-- more -->",
    )
    _, found = load_and_check(tmp_path, [path], schema)
    return [str(problem) for problem in found]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            "title: Nog een titel\n",
            "blog/posts/p.md: title: staat meer dan eens in de frontmatter (regel 7); "
            "houd er één, anders telt stilletjes de laatste",
        ),
        (
            "x: &a [1, 1, 1, 1, 1, 1, 1, 1, 1]\ny: [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n",
            "blog/posts/p.md: frontmatter: gebruikt een YAML-anker of -verwijzing (& of *) "
            "op regel 7; schrijf de waarde uit",
        ),
    ],
)
def test_repeated_keys_and_aliases_in_frontmatter_are_refused(
    tmp_path: Path, extra: str, expected: str
) -> None:
    assert post_problems(tmp_path, HEAD + extra) == [expected]


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [("title", '"Titel\\vmet tab"', "U+000B"), ("title", '"Nul\\0"', "U+0000")],
)
def test_characters_xml_forbids_are_refused_at_their_field(
    tmp_path: Path, field: str, value: str, code: str
) -> None:
    head = HEAD.replace("title: Een titel\n", f"{field}: {value}\n")
    assert post_problems(tmp_path, head) == [
        f"blog/posts/p.md: {field}: bevat een onzichtbaar stuurteken ({code}) dat niet in "
        "een pagina of feed mag; haal het weg"
    ]


def test_a_forbidden_character_in_the_description_is_refused(tmp_path: Path) -> None:
    head = HEAD.replace("description: Een", 'description: "\\x01Een').replace(
        "echt waar.\n", 'echt waar."\n'
    )
    found = post_problems(tmp_path, head)
    assert found == [
        "blog/posts/p.md: description: bevat een onzichtbaar stuurteken (U+0001) dat niet in "
        "een pagina of feed mag; haal het weg"
    ]


@pytest.mark.parametrize("image", ["blog/.authors.yml", "blog/posts/p.md"])
def test_image_must_be_an_image_type(tmp_path: Path, image: str) -> None:
    assert post_problems(tmp_path, HEAD + f"image: {image}\n") == [
        f"blog/posts/p.md: image: '{image}' is geen afbeelding; gebruik een bestand op "
        ".png, .jpg, .jpeg, .webp, .gif, .svg of .avif"
    ]
    assert post_problems(tmp_path, HEAD + "image: assets/foto.webp\n") == []


@pytest.mark.parametrize(
    "body",
    [
        "Tekst.\n\n```html\n<!-- more -->\n```\n",
        "Tekst.\n\n````markdown\n```\n<!-- more -->\n```\n````\n",
        "Tekst met `<!-- more -->` als voorbeeld.\n",
        "Tekst.\n\n    <!-- more -->\n",
    ],
)
def test_the_excerpt_marker_only_counts_outside_code(tmp_path: Path, body: str) -> None:
    assert post_problems(tmp_path, HEAD, body) == [
        "blog/posts/p.md: body: mist de regel <!-- more -->; zet die na de inleiding (wat "
        "erboven staat, is de samenvatting in de overzichten)"
    ]
    assert post_problems(tmp_path, HEAD, body + "\n<!-- more -->\n\nMeer.\n") == []


# -- The real build: hostile author fields, a calculator example inside code ------------------

HOSTILE_NAME = '<img src=x onerror=alert(1)> Bakker & Zonen "q" [x](javascript:alert(2))'
HOSTILE_DESCRIPTION = "<script>alert(3)</script> R&D 'team'"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    project = copy_project(root / "project")
    authors = project / "docs" / "blog" / ".authors.yml"
    text = authors.read_text(encoding="utf-8")
    text = re.sub(r"name: Remco\n", f"name: '{HOSTILE_NAME}'\n", text)
    text = re.sub(
        r"description: Performance marketeer\n", f'description: "{HOSTILE_DESCRIPTION}"\n', text
    )
    authors.write_text(text, encoding="utf-8")
    # Every post is by the editors; this copy gives one to the hostile author.
    post = project / "docs" / "blog" / "posts" / "kpis-die-ertoe-doen.md"
    post.write_text(
        post.read_text(encoding="utf-8").replace("  - redactie\n", "  - remco\n", 1),
        encoding="utf-8",
    )
    page = project / "docs" / "rekenhulpen" / "roas.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n" + README_EXAMPLE, encoding="utf-8")
    result = build(project, root / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def test_hostile_author_fields_never_reach_a_page_or_feed_as_markup(hostile_site: Path) -> None:
    files = [*hostile_site.rglob("*.html"), *hostile_site.rglob("*.xml")]
    for path in [*files, hostile_site / "search" / "search_index.json"]:
        text = path.read_text(encoding="utf-8")
        for raw in ("<img src=x", "<script>alert", 'href="javascript:', "Bakker & Zonen"):
            assert raw not in text, (path, raw)


def test_hostile_author_fields_are_shown_as_typed(hostile_site: Path) -> None:
    # The post pages of this author show the name and description in the sidebar.
    shown = [
        visible_text(p.read_text("utf-8")) for p in (hostile_site / "blog").glob("*/index.html")
    ]
    assert any(HOSTILE_NAME in text and HOSTILE_DESCRIPTION in text for text in shown)
    profile = (hostile_site / "blog" / "author" / "remco" / "index.html").read_text("utf-8")
    heading = re.search(r"<h1[^>]*>(.*?)<a class=\"headerlink\"", profile, re.S)
    assert heading and html.unescape(heading.group(1)) == HOSTILE_NAME


def test_a_calculator_example_inside_code_is_shown_not_run(hostile_site: Path) -> None:
    page = article_html((hostile_site / "rekenhulpen" / "roas" / "index.html").read_text("utf-8"))
    assert page.count('data-calculator="roas"') == 1, "only the page's own calculator is live"
    code = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert "```calculator\nid: roas\ndefaults:\n  ad_spnd: 2.500" in code


def test_fence_options_stop_the_real_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "rekenhulpen" / "roas.md"
    original = page.read_text(encoding="utf-8")
    page.write_text(original + '\n```calculator title="x"\nid: roas\n```\n', encoding="utf-8")
    result = build(project, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    line = original.count("\n") + 2
    assert (
        f"rekenhulpen/roas.md:{line}: rekenhulp: onbekende instelling op de openingsregel "
        "('title=\"x\"')" in output
    )
    assert "Traceback" not in output


# -- Deployment defaults: SITE_URL, robots.txt, no generator tag ------------------------------


def test_a_build_without_site_url_stops_and_says_so_in_dutch(tmp_path: Path) -> None:
    result = build(ROOT, tmp_path / "site", env={"SITE_URL": ""})
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "SITE_URL ontbreekt" in output
    assert "SITE_URL=https://www.jouwdomein.nl/ make build" in output
    assert "Traceback" not in output
    assert not (tmp_path / "site" / "index.html").exists()


def test_the_site_points_only_at_its_own_address(hostile_site: Path) -> None:
    robots = (hostile_site / "robots.txt").read_text(encoding="utf-8")
    assert robots == f"User-agent: *\nAllow: /\n\nSitemap: {TEST_SITE_URL}sitemap.xml\n"
    locations = re.findall(r"<loc>([^<]*)</loc>", (hostile_site / "sitemap.xml").read_text())
    assert locations and all(url.startswith(TEST_SITE_URL) for url in locations)
    for path in [*hostile_site.rglob("*.html"), *hostile_site.rglob("*.xml")]:
        text = path.read_text(encoding="utf-8")
        assert "kennisbank.nl" not in text, path
        assert 'name="generator"' not in text, path


# -- Text in mkdocs.yml and the authors file --------------------------------------------------


def project_with_config(tmp_path: Path, replacements: dict[str, str]) -> Path:
    """A project copy whose mkdocs.yml is a real file with some text replaced."""
    project = copy_project(tmp_path / "project")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert old in config, old
        config = config.replace(old, new, 1)
    (project / "mkdocs.yml").unlink()
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    return project


def test_site_text_from_mkdocs_yml_is_escaped_in_pages_and_feeds(tmp_path: Path) -> None:
    project = project_with_config(
        tmp_path,
        {
            "site_name: Kennisbank": 'site_name: "Bakker & Zonen <b>vet</b>"',
            "copyright: Kennisbank —": "copyright: <img src=x onerror=alert(1)> & Kennisbank —",
            "feed_title: Kennisbank — nieuwe artikelen": 'feed_title: "R&D <i>feed</i>"',
        },
    )
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    site = tmp_path / "site"
    for name in ("feed_rss_created.xml", "feed_rss_updated.xml"):
        channel = ET.parse(site / name).getroot().find("channel")
        assert channel.findtext("title") == "R&D <i>feed</i>"
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for raw in ("<b>vet</b>", "<img src=x", "Bakker & Zonen"):
            assert raw not in text, (path, raw)
    home = visible_text((site / "index.html").read_text(encoding="utf-8"))
    assert "Bakker & Zonen <b>vet</b>" in home
    # Structured data carries the name as typed, not escaped twice.
    post = (site / "blog" / "kpis-die-ertoe-doen" / "index.html").read_text(encoding="utf-8")
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', post, re.DOTALL)
    publishers = [
        item["publisher"]["name"]
        for block in blocks
        for item in json.loads(block)
        if item.get("@type") == "BlogPosting"
    ]
    assert publishers == ["Bakker & Zonen <b>vet</b>"]
    assert "<img src=x onerror=alert(1)> & Kennisbank" in home


def test_markup_in_a_category_name_is_refused_in_dutch(tmp_path: Path) -> None:
    project = project_with_config(tmp_path, {"        - Strategie\n": "        - R&D <b>\n"})
    result = build(project, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "mkdocs.yml: blog.categories_allowed: 'R&D <b>' mag geen < > & " in output


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("url", "javascript:alert(1)", "moet een pagina van de site of een http(s)-adres zijn"),
        ("avatar", "https://tracker.example/a.png", "moet een bestand van deze site zijn"),
        ("name", '"Ik\\0"', "bevat een onzichtbaar stuurteken (U+0000)"),
    ],
)
def test_unsafe_author_fields_stop_the_build(
    tmp_path: Path, field: str, value: str, message: str
) -> None:
    project = copy_project(tmp_path / "project")
    authors = project / "docs" / "blog" / ".authors.yml"
    text = authors.read_text(encoding="utf-8")
    entry = "    avatar: assets/images/authors/remco.svg\n"
    if field == "avatar":
        text = text.replace(entry, f"    avatar: {value}\n")
    elif field == "name":
        text = text.replace("    name: Remco\n", f"    name: {value}\n")
    else:
        text = text.replace(entry, f"{entry}    {field}: {value}\n")
    authors.write_text(text, encoding="utf-8")
    result = build(project, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert f"blog/.authors.yml: authors.remco.{field}: {message}" in output
    assert "Traceback" not in output
