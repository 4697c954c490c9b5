"""Materialised paths for many new units at once.

treebeard's `add_child` costs a few queries per unit; imports and the data
generator place thousands, so they compute paths here and insert in bulk.
"""

from django.db.models import Max

from .models import OrgUnit


class PathAllocator:
    """Hands out the next free child path under each parent, in memory."""

    def __init__(self) -> None:
        self._last_step: dict[str, int] = {}
        self.new_children: dict[str, int] = {}

    def _last_existing(self, parent_path: str) -> int:
        depth = len(parent_path) // OrgUnit.steplen + 1
        last = (
            OrgUnit.objects.filter(path__startswith=parent_path, depth=depth)
            .aggregate(last=Max("path"))
            .get("last")
        )
        return OrgUnit._str2int(last[-OrgUnit.steplen :]) if last else 0

    def child_path(self, parent_path: str) -> str:
        if parent_path not in self._last_step:
            self._last_step[parent_path] = self._last_existing(parent_path)
        self._last_step[parent_path] += 1
        self.new_children[parent_path] = self.new_children.get(parent_path, 0) + 1
        depth = len(parent_path) // OrgUnit.steplen + 1
        return OrgUnit._get_path(parent_path, depth, self._last_step[parent_path])

    def update_numchild(self, fresh: dict[str, OrgUnit]) -> None:
        """Count the new children on parents, both stored and just built."""
        stored = []
        for path, count in self.new_children.items():
            if path in fresh:
                fresh[path].numchild += count
            else:
                stored.append((path, count))
        for path, count in stored:
            OrgUnit.objects.filter(path=path).update(
                numchild=OrgUnit.objects.get(path=path).numchild + count
            )
