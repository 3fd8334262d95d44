"""YAML composition that refuses anchors, aliases and repeated keys.

Aliases let a few lines expand into gigabytes (a "billion laughs" bomb), and a
repeated key would silently let the last value win. Post frontmatter and
calculator blocks both read YAML this way; each reports the mistake in its own
words, on its own field or line.
"""

from __future__ import annotations

from typing import NoReturn

import yaml


class StrictComposer:
    """Mixin for a PyYAML loader; subclasses say how a refusal is reported."""

    def refuse_alias(self, line: int) -> NoReturn:
        raise NotImplementedError

    def refuse_repeated_key(self, key: str, line: int) -> NoReturn:
        raise NotImplementedError

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            self.refuse_alias(event.start_mark.line + 1)
        return super().compose_node(parent, index)

    def compose_mapping_node(self, anchor):
        node = super().compose_mapping_node(anchor)
        seen: set[str] = set()
        for key, _ in node.value:
            if not isinstance(key, yaml.ScalarNode):
                continue
            if key.value in seen:
                self.refuse_repeated_key(key.value, key.start_mark.line + 1)
            seen.add(key.value)
        return node
