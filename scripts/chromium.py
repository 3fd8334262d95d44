"""The system Chromium that tests and the benchmark drive through Playwright.

Playwright's own browser download is not used: `apt-get install chromium`, or
point CHROMIUM_PATH at a Chromium binary.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

# Headless on a build machine: no sandbox (root in a container), no GPU, and
# none of Chromium's own background traffic to Google's hosts.
#
# Nor the address bar's popups: Chromium renders them as web pages (WebUI) in a
# process of their own for every new window, which here means every tab a test
# or the benchmark opens. Nobody sees them headless, and each took about 0.6 s
# of CPU during the page load being measured, on a machine with 2 cores; a
# reader's browser renders them once per window, not once per visit. Chromium
# merges this list with the features Playwright disables.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup",
]


class ChromiumNotFound(RuntimeError):
    pass


def chromium_path() -> str:
    """The Chromium binary, or ChromiumNotFound saying how to get one."""
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        raise ChromiumNotFound(
            "Chromium was not found. Install it with 'apt-get install -y chromium' "
            "or set CHROMIUM_PATH to a Chromium binary."
        )
    return path
