"""Give every existing indicator a lineage, shared with the indicator it was carried from.

Editions are walked oldest first; an indicator of a carried programme takes the lineage of the
indicator of the same name in the programme it came from (else of the one at the same position),
so the change log can follow indicators across editions that existed before lineage did.
Reversing clears the lineage again.
"""

import uuid

from django.db import migrations


def fill(apps, schema_editor):
    Indicator = apps.get_model("plans", "Indicator")
    Programme = apps.get_model("plans", "Programme")
    lineage_of: dict[int, list[tuple[str, uuid.UUID]]] = {}  # programme id -> [(name, lineage)] in order
    programmes = Programme.objects.order_by("edition__year", "edition_id", "id").values_list("id", "carried_from_id")
    for pid, source_id in programmes.iterator():
        source = lineage_of.get(source_id, []) if source_id else []
        by_name = {name: lineage for name, lineage in source}
        used: set[uuid.UUID] = set()
        mine: list[tuple[str, uuid.UUID]] = []
        for position, indicator in enumerate(Indicator.objects.filter(programme_id=pid).order_by("order", "id")):
            lineage = by_name.get(indicator.name)
            if lineage is None and position < len(source):
                lineage = source[position][1]
            if lineage is None or lineage in used:
                lineage = uuid.uuid4()
            used.add(lineage)
            indicator.lineage = lineage
            indicator.save(update_fields=["lineage"])
            mine.append((indicator.name, lineage))
        lineage_of[pid] = mine


def clear(apps, schema_editor):
    apps.get_model("plans", "Indicator").objects.update(lineage=None)


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0003_indicator_lineage"),
    ]

    operations = [migrations.RunPython(fill, clear)]
