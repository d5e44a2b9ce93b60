"""Extra report sections other features contribute (a registry, no imports back).

The complaints follow-up feature registers a writer here; until it does, the
report says that no follow-up records exist. A writer receives the document
and the scope and returns True when it wrote something.
"""

from collections.abc import Callable

FollowupWriter = Callable[[object, object], bool]

_followup_writers: list[FollowupWriter] = []


def register_followup(writer: FollowupWriter) -> FollowupWriter:
    if writer not in _followup_writers:
        _followup_writers.append(writer)
    return writer


def followup_writers() -> list[FollowupWriter]:
    return list(_followup_writers)
