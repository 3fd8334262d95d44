"""A post's excerpt is rendered once per build and reused where its links read the same.

Material's blog plugin renders each post again for every listing page that
shows it; kennisbank/excerpts.py reuses the last rendering when every relative
link in it points at the same address from the new listing page.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from kennisbank.excerpts import reads_the_same, render_once

POST_LINKS = (
    '<h2><a href="../../2024/05/cpl/">CPL</a></h2>'
    '<p><a href="../../2024/05/cpl/#kop">kop</a> <img src="../../../assets/grafiek.png">'
    ' <a href="https://example.org/">extern</a> <a href="mailto:a@b.nl">mail</a></p>'
)


@pytest.mark.parametrize(
    ("html", "made_for", "view", "same"),
    [
        # Same depth under blog/: index page 2, a category, an author, an archive year.
        (POST_LINKS, "blog/page/2/", "blog/category/kpi/", True),
        (POST_LINKS, "blog/page/2/", "blog/archive/2024/", True),
        # The first index page is a level higher: every link reads otherwise.
        (POST_LINKS, "blog/page/2/", "blog/", False),
        # A link into the listing's own branch reads otherwise from a sibling branch.
        (
            '<a href="../../category/kpi/">kpi</a>',
            "blog/archive/2024/",
            "blog/category/kpi/",
            False,
        ),
        ('<a href="../../category/kpi/">kpi</a>', "blog/archive/2024/", "blog/author/remco/", True),
        ('<a href="../video/">video</a>', "blog/category/kpi/", "blog/category/merk/", True),
        # What is not checked is never reused.
        ('<img srcset="../../a.png 2x">', "blog/page/2/", "blog/page/3/", False),
        ('<a href="?pagina=2">verder</a>', "blog/page/2/", "blog/page/3/", False),
    ],
)
def test_links_are_compared_by_the_address_they_stand_for(
    html: str, made_for: str, view: str, same: bool
) -> None:
    assert reads_the_same(html, made_for, view) is same


def fake(src_uri: str, version: list[str]):
    post = SimpleNamespace(file=SimpleNamespace(src_uri=src_uri), version=version)
    return SimpleNamespace(post=post, content="", more=None, toc=SimpleNamespace(items=["kop"]))


def test_a_post_is_rendered_again_only_where_its_links_differ_or_it_changed() -> None:
    renders: list[str] = []

    def render(excerpt, view) -> None:
        renders.append(view.url)
        depth = view.url.count("/") - 1
        excerpt.content = (
            f'<a href="{"../" * depth}2024/05/cpl/">CPL</a> v{excerpt.post.version[0]}'
        )
        excerpt.more = "rest"

    once = render_once(render, lambda post: post.version[0], lambda view: True)
    excerpt = fake("blog/posts/cpl.md", ["1"])
    views = {
        url: SimpleNamespace(url=url, toc=SimpleNamespace(items=[SimpleNamespace(children=[])]))
        for url in ("blog/page/2/", "blog/category/kpi/", "blog/", "blog/author/remco/")
    }
    for url in views:
        once(excerpt, views[url])
        assert excerpt.content.startswith(f'<a href="{"../" * (url.count("/") - 1)}2024/05/cpl/"')
        assert excerpt.more == "rest"
    # Rendered for depth 3, reused for the category, rendered for blog/, then again for depth 3.
    assert renders == ["blog/page/2/", "blog/", "blog/author/remco/"]
    # A reused excerpt still adds its headings to the page's contents, as the plugin does.
    assert views["blog/category/kpi/"].toc.items[0].children == ["kop"]

    excerpt.post.version[0] = "2"  # the post was saved again
    once(excerpt, views["blog/author/remco/"])
    assert renders[-1] == "blog/author/remco/" and excerpt.content.endswith("v2")
