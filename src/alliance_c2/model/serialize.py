"""An arrangement as plain data in the shape of its YAML file: `show --json`, JSON export and templates."""

from __future__ import annotations

from typing import Any

from .architecture import Architecture, Side


def arrangement_dict(arch: Architecture) -> dict[str, Any]:
    """The arrangement as plain data (the shape of the YAML file)."""

    def clean(d: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in d.items() if v not in (None, False, (), []) and k != "line"}

    orgs = []
    for o in arch.organizations.values():
        d = clean(
            {
                "id": o.id,
                "name_en": o.name_en,
                "name_ja": o.name_ja,
                "nation": None if o.bilateral else o.nation,
                "nations": list(o.nations) if o.bilateral else None,
                "kind": o.kind,
                "echelon": o.echelon,
                "sidc": o.sidc,
                "combined": o.combined,
                "commander_nation": o.commander_nation,
                "based_in": o.based_in,
                "head_of_government": o.head_of_government,
                "roles": [{"id": r.id, "name_en": r.name_en, "name_ja": r.name_ja} for r in o.roles],
                "alternate": o.alternate,
                "predecessor_of": o.predecessor_of,
                "note_en": o.note_en,
                "note_ja": o.note_ja,
                "source": o.source,
                "assumption": o.assumption,
                "unconfirmed": o.unconfirmed,
                "c2sim_uuid": o.c2sim_uuid,
                "home": None if o.home is None else clean({
                    "name_en": o.home.name_en, "name_ja": o.home.name_ja, "lat": o.home.lat, "lon": o.home.lon,
                    "source": o.home.source, "assumption": o.home.assumption}),
            }
        )
        orgs.append(d)
    rels = [
        clean(
            {
                "from": r.from_id,
                "to": r.to_id,
                "kind": r.kind,
                "active_in": sorted(r.active_in) if r.active_in is not None else None,
                "interpreted_in": sorted(r.interpreted_in),
                "note_en": r.note_en,
                "note_ja": r.note_ja,
                "source": r.source,
                "assumption": r.assumption,
                "unconfirmed": r.unconfirmed,
            }
        )
        for r in arch.relations
    ]
    plans = [
        clean(
            {
                "id": p.id,
                "name_en": p.name_en,
                "name_ja": p.name_ja,
                "owner": p.owner,
                "directed_by": p.directed_by,
                "source": p.source,
                "assumption": p.assumption,
            }
        )
        for p in arch.plans
    ]
    return clean(
        {
            "kind": "architecture",
            "id": arch.id,
            "name_en": arch.name_en,
            "name_ja": arch.name_ja,
            "short_name_en": arch.short_name_en,
            "short_name_ja": arch.short_name_ja,
            "guidelines": arch.guidelines,
            "era": arch.era,
            "description_en": arch.description_en,
            "description_ja": arch.description_ja,
            "source": arch.source,
            "law_as_of": arch.law_as_of.isoformat() if arch.law_as_of else None,
            "law_as_of_source": arch.law_as_of_source,
            "presupposes_reforms": list(arch.presupposes_reforms),
            "organizations": orgs,
            "relations": rels,
            "plans": plans,
            "sides": [_side_dict(side) for side in arch.sides],
            "other_nations": [clean({"id": n.id, "name_en": n.name_en, "name_ja": n.name_ja, "source": n.source,
                                     "assumption": n.assumption}) for n in arch.other_nations],
        }
    )


def _side_dict(side: Side) -> dict[str, Any]:
    data = {
        "id": side.id,
        "name_en": side.name_en,
        "name_ja": side.name_ja,
        "nations": list(side.nations),
        "hostility": dict(side.hostility),
        "c2sim_uuid": side.c2sim_uuid,
        "source": side.source,
        "assumption": side.assumption,
    }
    return {k: v for k, v in data.items() if v not in (None, False, "", [], {})}
