"""Two or three posts to read next, under every post."""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Sequence
from dataclasses import dataclass

RELATED_MAX = 3
RELATED_MIN = 2


@dataclass(frozen=True)
class Candidate:
    """What the ranking needs to know of a post."""

    key: str  # the post's source path: unique, and a stable last tie-breaker
    categories: frozenset[str]
    calculators: frozenset[str]
    date: dt.date


def rank_related(post: Candidate, others: Sequence[Candidate]) -> list[Candidate]:
    """Two or three posts to read next: most shared categories and calculators first.

    Ties go to the newer post, then to the source path, so the choice never
    depends on the order files were found in. Posts sharing nothing only fill up
    to two, newest first.
    """

    def shared(other: Candidate) -> int:
        return len(post.categories & other.categories) + len(post.calculators & other.calculators)

    # Only the first RELATED_MAX of the ranking are ever shown: they hold the
    # best sharing posts and, when fewer share anything, the newest fillers.
    # (Sorting all posts for each post made a build with 1,000 posts 4 s slower.)
    first = heapq.nsmallest(
        RELATED_MAX,
        (other for other in others if other.key != post.key),
        key=lambda other: (-shared(other), -other.date.toordinal(), other.key),
    )
    related = [other for other in first if shared(other)]
    fillers = [other for other in first if not shared(other)]
    return related + fillers[: max(0, RELATED_MIN - len(related))]


def candidate(post) -> Candidate:
    meta = post.meta
    return Candidate(
        key=post.file.src_uri,
        categories=frozenset(meta.get("categories") or ()),
        calculators=frozenset(meta.get("calculators") or ()),
        date=post.config.date.created.date(),
    )
