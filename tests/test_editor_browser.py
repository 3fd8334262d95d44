"""`make edit` in Chromium: a post written in /admin/ is checked, built and served.

The editor runs as `make edit` runs it (scripts/edit.py: decap-server on
127.0.0.1 plus `mkdocs serve`) on free ports, in a copy of the project.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.request import urlopen

import pytest
from playwright.sync_api import Browser, Page, expect

from kennisbank.fence import FenceError, parse_block
from tests import test_browser as shared
from tests.support import build, copy_project, free_port

browser = shared.browser

STARTUP_TIMEOUT = 240
# mkdocs serve injects its live-reload script into every page, /admin/ too; the
# admin policy blocks it (the editor must not reload while someone types).
LIVERELOAD_SAMPLE = "var livereload = function"
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push({directive: e.violatedDirective, blocked: e.blockedURI,
                            sample: (e.sample || "").trim()});
});
"""
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000005000106a1e3b50000000049454e44ae426082"
)


@dataclass
class Editor:
    project: Path
    base_url: str
    cms_port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def posts(self) -> Path:
        return self.project / "docs" / "blog" / "posts"


def wait_for(url: str, timeout: float, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"make edit stopped: {log.read_text(errors='replace')[-2000:]}")
        try:
            with urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"{url} did not answer in {timeout} s: {log.read_text(errors='replace')[-2000:]}")


@pytest.fixture(scope="module")
def editor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Editor]:
    project = copy_project(tmp_path_factory.mktemp("edit") / "project")
    port, cms_port = free_port(), free_port()
    log = project.parent / "edit.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "scripts.edit",
                "--port",
                f"{port}",
                "--cms-port",
                f"{cms_port}",
            ],
            cwd=project,
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            start_new_session=True,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base_url}/admin/config.yml", STARTUP_TIMEOUT, process, log)
        yield Editor(project, base_url, cms_port, process, log)
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=30)


@dataclass
class Session:
    page: Page
    requests: list[str] = field(default_factory=list)

    def violations(self) -> list[dict[str, str]]:
        found = self.page.evaluate("window.__violations")
        return [v for v in found if not v["sample"].startswith(LIVERELOAD_SAMPLE)]


@pytest.fixture
def session(browser: Browser, editor: Editor) -> Iterator[Session]:
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    session = Session(page)
    context.on("request", lambda request: session.requests.append(request.url))
    page.goto(f"{editor.base_url}/admin/")
    page.get_by_role("button", name="Inloggen").click()
    yield session
    own = (editor.base_url, f"http://127.0.0.1:{editor.cms_port}/", "data:", "blob:")
    # /admin/ talks to the site and the local proxy only, and nothing breaks its policy.
    assert [url for url in session.requests if not url.startswith(own)] == []
    assert session.violations() == []
    context.close()


def new_post(page: Page, editor: Editor) -> None:
    page.goto(f"{editor.base_url}/admin/#/collections/posts/new")
    expect(page.get_by_label("Titel")).to_be_visible(timeout=20_000)


def fill_form(page: Page, title: str, description: str, category: str) -> None:
    page.get_by_label("Titel").fill(title)
    page.get_by_label("Samenvatting").fill(description)
    choose(page, "Auteurs", "Remco")
    choose(page, "Categorieën", category)


def insert_rekenhulp(page: Page, calculator: str, field: str, value: str) -> None:
    """A Rekenhulp block with one starting value, at the cursor in the body."""
    page.get_by_title("Voeg component toe").click()
    page.get_by_role("menuitem", name="Rekenhulp").click()
    choose_in(page, '[id^="id-field-"]', calculator)
    page.get_by_role("button", name="startwaarde").click()
    choose_in(page, '[id^="field-field-"]', field)
    page.locator('[id^="value-field-"]').fill(value)


def retype(page: Page, label: str, text: str) -> None:
    """Replace a field's text (fill() adds to what Decap's text field holds)."""
    page.get_by_label(label).click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    if text:
        page.keyboard.insert_text(text)


def choose(page: Page, label: str, text: str) -> None:
    page.get_by_label(label).fill(text)
    page.keyboard.press("Enter")


def publish(page: Page) -> None:
    page.get_by_role("button", name="Publiceer").click()
    page.get_by_text("Publiceer nu").click()


def test_a_post_written_in_the_editor_is_checked_built_and_served(
    session: Session, editor: Editor, tmp_path: Path
) -> None:
    page = session.page
    new_post(page, editor)
    fill_form(
        page,
        "Wat kost een lead in 2026?",
        "Een rekenvoorbeeld: wat een lead je kost, en wanneer die kosten terugverdiend zijn.",
        "KPI",
    )
    choose(page, "Aanbevolen rekenhulpen", "Kosten per lead")
    # The link-preview image, uploaded from the form: the checker verifies it exists.
    upload = tmp_path / "grafiek.png"
    upload.write_bytes(PNG)
    page.get_by_text("Kies een afbeelding").click()
    with page.expect_file_chooser() as chooser:
        page.get_by_text("Nieuwe uploaden").click()
    chooser.value.set_files(str(upload))
    page.get_by_role("button", name="Gebruik selectie").click()
    # New posts are drafts; this one is published, so the strict build renders it.
    draft = page.locator('[id^="draft-field-"]')
    expect(draft).to_have_attribute("aria-checked", "true")
    draft.click()

    # The introduction in Markdown, above the excerpt marker the form starts with.
    body_mode = page.get_by_role("switch").last
    body_mode.click()
    page.locator('[data-slate-editor="true"]').click()
    page.keyboard.press("Control+A")
    page.keyboard.type("Een lead kost meer dan je denkt.\n\n<!-- more -->\n\nReken het zelf uit.")
    body_mode.click()
    page.locator('[data-slate-editor="true"]').get_by_text("Reken het zelf uit.").click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    insert_rekenhulp(page, "ROAS", "Advertentiebudget", "2.500")

    # The preview pane carries the site's own stylesheets (Material's colours).
    preview = page.frame_locator("iframe").first.locator("article.md-typeset")
    expect(preview.get_by_text("Een lead kost meer dan je denkt.")).to_be_visible()
    primary = preview.evaluate(
        "e => getComputedStyle(e).getPropertyValue('--md-primary-fg-color').trim()"
    )
    assert primary.startswith("#"), primary

    publish(page)
    saved = time.monotonic()
    post = editor.posts / "wat-kost-een-lead-in-2026.md"
    expect(page.get_by_text("NIET-OPGESLAGEN WIJZIGINGEN")).to_have_count(0, timeout=15_000)
    assert post.is_file()
    text = post.read_text(encoding="utf-8")
    assert (editor.posts / "images" / "grafiek.png").read_bytes() == PNG
    assert "\nimage: /blog/posts/images/grafiek.png\n" in text
    assert '```calculator\nid: roas\ndefaults:\n  ad_spend: "2.500"\n```' in text

    # The dev server shows it with the live calculator.
    served = None
    while time.monotonic() - saved < 60:
        try:
            with urlopen(f"{editor.base_url}/blog/wat-kost-een-lead-in-2026/", timeout=5) as r:
                html = r.read().decode()
            if 'data-calculator="roas"' in html:
                served = time.monotonic() - saved
                break
        except OSError:
            pass
        time.sleep(0.2)
    assert served is not None, editor.log.read_text(errors="replace")[-2000:]
    print(f"post served by make edit {served:.1f} s after saving")

    check = subprocess.run(
        [sys.executable, "-m", "hooks.posts", str(post)],
        cwd=editor.project,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    built = build(editor.project, tmp_path / "site")
    assert built.returncode == 0, built.stderr[-3000:]
    page_html = (
        tmp_path / "site" / "blog" / "wat-kost-een-lead-in-2026" / "index.html"
    ).read_text()
    assert 'data-calculator="roas"' in page_html
    assert 'value="2.500"' in page_html


def choose_in(page: Page, selector: str, text: str) -> None:
    page.locator(selector).fill(text)
    page.keyboard.press("Enter")


def test_the_editor_refuses_what_the_checker_refuses_in_dutch(
    session: Session, editor: Editor
) -> None:
    page = session.page
    # The list says which posts are drafts.
    draft = (editor.posts / "kpis-die-ertoe-doen.md").read_text(encoding="utf-8")
    (editor.posts / "een-concept.md").write_text(
        draft.replace("title: ", "draft: true\ntitle: Een concept, ", 1).replace(
            "slug: kpis-die-ertoe-doen", "slug: een-concept"
        ),
        encoding="utf-8",
    )
    page.goto(f"{editor.base_url}/admin/#/collections/posts")
    page.reload()  # the list was read when the editor opened
    expect(page.get_by_text("· concept")).to_have_count(1)
    expect(page.get_by_text("· gepubliceerd").first).to_be_visible()
    (editor.posts / "een-concept.md").unlink()

    before = sorted(editor.posts.iterdir())
    new_post(page, editor)
    page.get_by_label("Titel").fill("Te kort")
    page.get_by_label("Samenvatting").fill("Veel te kort.")
    choose(page, "Auteurs", "Remco")
    publish(page)
    expect(page.get_by_text("Oeps, sommige verplichte velden zijn niet ingevuld.")).to_be_visible()
    expect(
        page.get_by_text("(description) komt niet overeen met het patroon: gebruik 50 tot 160")
    ).to_be_visible()
    expect(page.get_by_text("Categorieën (categories) is vereist.")).to_be_visible()

    # A rule across fields (a published post dated in the future) is checked on saving.
    page.get_by_label("Samenvatting").fill(
        "Een samenvatting die lang genoeg is, maar voor een artikel van later."
    )
    choose(page, "Categorieën", "Strategie")
    page.locator('[id^="date-field-"]').fill("2099-01-01")
    page.locator('[id^="draft-field-"]').click()
    publish(page)
    expect(page.get_by_text("2099-01-01 ligt in de toekomst")).to_be_visible()
    time.sleep(1)
    assert sorted(editor.posts.iterdir()) == before


def test_the_editor_refuses_broken_blocks_taken_slugs_and_control_characters(
    session: Session, editor: Editor
) -> None:
    page = session.page
    before = sorted(editor.posts.iterdir())
    new_post(page, editor)
    fill_form(
        page,
        "Een voorbeeld met ROAS",
        "Een samenvatting die lang genoeg is voor de controle, met een rekenhulp erin.",
        "KPI",
    )
    page.locator('[data-slate-editor="true"]').click()
    page.keyboard.press("Control+Home")
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    # Filling in the value starts Python, as an editor's typing does.
    insert_rekenhulp(page, "ROAS", "Advertentiebudget", "-5")

    # The starting value goes through the calculators' own Python, in the site's worker.
    publish(page)
    clicked = time.monotonic()
    message = page.get_by_text(
        "Tekst (body): calculator-blok roas: ongeldige standaardwaarde voor 'ad_spend' (-5): "
    )
    expect(message).to_be_visible(timeout=30_000)
    print(f"Python checked the block {time.monotonic() - clicked:.1f} s after saving:")
    print(*[line for line in console if "Kennisbank: " in line], sep="\n")
    # The build's own words, as the editor showed them.
    with pytest.raises(FenceError) as refused:
        parse_block('id: roas\ndefaults:\n  ad_spend: "-5"\n')
    expect(page.get_by_text(refused.value.message)).to_be_visible()

    # A slug another post has.
    retype(page, "Webadres (slug)", "kpis-die-ertoe-doen")
    publish(page)
    expect(
        page.get_by_text(
            "Webadres (slug) (slug): 'kpis-die-ertoe-doen' wordt ook gebruikt door "
            "blog/posts/kpis-die-ertoe-doen.md"
        )
    ).to_be_visible()

    # An invisible control character in the title.
    retype(page, "Webadres (slug)", "")
    retype(page, "Titel", "Een voorbeeld\u0007 met ROAS")
    publish(page)
    expect(
        page.get_by_text(
            "Kan item niet opslaan: Error: Titel (title): bevat een onzichtbaar stuurteken "
            "(U+0007) dat niet in een pagina of feed mag; haal het weg",
            exact=True,
        )
    ).to_be_visible()
    time.sleep(1)
    assert sorted(editor.posts.iterdir()) == before

    # The post that has the slug may still be saved, under it.
    post = editor.posts / "kpis-die-ertoe-doen.md"
    original = post.read_text(encoding="utf-8")
    other = page.context.new_page()
    other.goto(f"{editor.base_url}/admin/#/collections/posts/entries/kpis-die-ertoe-doen")
    retype(other, "Titel", "KPI’s die ertoe doen")
    publish(other)
    expect(other.get_by_text("NIET-OPGESLAGEN WIJZIGINGEN")).to_have_count(0, timeout=15_000)
    saved = post.read_text(encoding="utf-8")
    post.write_text(original, encoding="utf-8")
    assert "KPI’s die ertoe doen" in saved and "slug: kpis-die-ertoe-doen" in saved


def test_a_block_that_python_cannot_check_is_not_saved(session: Session, editor: Editor) -> None:
    page = session.page
    before = sorted(editor.posts.iterdir())
    # The calculators' worker cannot load: Python never starts.
    page.route("**/worker/worker.mjs", lambda route: route.abort())
    new_post(page, editor)
    fill_form(
        page,
        "Een rekenhulp zonder Python",
        "Een samenvatting die lang genoeg is voor de controle, met een rekenhulp erin.",
        "KPI",
    )
    page.locator('[data-slate-editor="true"]').click()
    insert_rekenhulp(page, "ROAS", "Advertentiebudget", "2.500")
    publish(page)
    expect(
        page.get_by_text("Tekst (body): de rekenhulp-blokken konden niet worden gecontroleerd")
    ).to_be_visible(timeout=30_000)
    time.sleep(1)
    assert sorted(editor.posts.iterdir()) == before
