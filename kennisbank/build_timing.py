"""Each stage of a build, timed when KENNISBANK_BUILD_TIMING is set (scripts/bench_serve.py).

The stages follow MkDocs' own order: config, files and navigation, reading
the pages (Markdown), writing them (templates, listings) and the post-build
steps. Every plugin's and hook's handlers are timed too, so a slow one is
named. One log line per build, as JSON after a fixed prefix.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections import defaultdict

log = logging.getLogger("mkdocs.kennisbank.build_timing")
PREFIX = "Build stages: "
ENV_VAR = "KENNISBANK_BUILD_TIMING"


class _Timeline:
    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.first: dict[str, float] = {}
        self.last: dict[str, float] = {}
        self.handlers: dict[str, float] = defaultdict(float)

    def stages(self, end: float) -> dict[str, float]:
        marks = [
            ("config", self.start),
            ("files", self.first.get("pre_build", self.start)),
            ("read", self.last.get("nav", self.start)),
            ("write", self.first.get("env", self.start)),
            ("post_build", self.first.get("post_build", end)),
        ]
        stages = {
            name: round(max(0.0, following - moment), 3)
            for (name, moment), (_, following) in zip(marks, [*marks[1:], ("", end)], strict=True)
        }
        stages["total"] = round(end - self.start, 3)
        return stages


def _timed_run_event(plugins, timeline: _Timeline):
    def run_event(name, item=None, **kwargs):
        timeline.first.setdefault(name, time.perf_counter())
        pass_item = item is not None
        for method in plugins.events[name]:
            origin = plugins._event_origins.get(method, "<unknown>")
            plugins._current_plugin = origin
            began = time.perf_counter()
            result = method(item, **kwargs) if pass_item else method(**kwargs)
            timeline.handlers[f"{origin}:{name}"] += time.perf_counter() - began
            if result is not None:
                item = result
        plugins._current_plugin = None
        timeline.last[name] = time.perf_counter()
        if name == "post_build":
            report(timeline)
        return item

    return run_event


def report(timeline: _Timeline) -> None:
    end = time.perf_counter()
    slowest = sorted(timeline.handlers.items(), key=lambda item: item[1], reverse=True)
    data = {
        "stages": timeline.stages(end),
        "handlers": {key: round(seconds, 3) for key, seconds in slowest if seconds >= 0.01},
    }
    log.info(PREFIX + json.dumps(data))


def instrument(config) -> None:
    """Time the rest of this build when KENNISBANK_BUILD_TIMING is set."""
    if os.environ.get(ENV_VAR):
        plugins = config.plugins
        plugins.run_event = _timed_run_event(plugins, _Timeline())
