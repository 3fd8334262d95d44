"""Two or three posts to read next, under every post."""

from __future__ import annotations

import datetime as dt
import heapq
from collections import Counter, defaultdict
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


class RelatedIndex:
    """rank_related for every post of a build, from an index by category and calculator.

    Ranking each post against all others took 1.5 s of a build with 1,000
    posts; counting only the posts that share something with it is a fraction.
    """

    def __init__(self, candidates: Sequence[Candidate]) -> None:
        # Newest first, then by source path: the ranking's order among equals.
        self.ordered = sorted(candidates, key=lambda other: (-other.date.toordinal(), other.key))
        self.sharing: dict[tuple[str, str], list[int]] = defaultdict(list)
        for index, other in enumerate(self.ordered):
            for feature in features(other):
                self.sharing[feature].append(index)

    def rank(self, post: Candidate) -> list[Candidate]:
        shared: Counter[int] = Counter()
        for feature in features(post):
            shared.update(self.sharing.get(feature, ()))
        for index in [index for index in shared if self.ordered[index].key == post.key]:
            del shared[index]
        best = heapq.nsmallest(RELATED_MAX, shared.items(), key=lambda item: (-item[1], item[0]))
        related = [self.ordered[index] for index, _ in best]
        missing = max(0, RELATED_MIN - len(related))
        fillers = (
            other
            for index, other in enumerate(self.ordered)
            if index not in shared and other.key != post.key
        )
        return related + [other for _, other in zip(range(missing), fillers, strict=False)]


def features(post: Candidate) -> list[tuple[str, str]]:
    shown = [("category", name) for name in post.categories]
    return shown + [("calculator", name) for name in post.calculators]
