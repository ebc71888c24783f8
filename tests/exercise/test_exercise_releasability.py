"""Releasability as a matrix (seat x label x endpoint) and as a property (SQL filter == Python rule)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance_c2.exercise.db.rows import SeatRecord
from alliance_c2.exercise.service.releasability import (
    CLASSIFICATIONS,
    Label,
    LabelError,
    make_label,
    may_see,
    parse_marking,
)

# (classification, rel_to, recipients) of each item control writes as an inject
LABELS = {
    "u-all": ("UNCLASSIFIED", ["JPN", "USA", "TWN", "UN"], ["jpn-jjoc", "usa-indopacom", "lno-taiwan", "lno-unc"]),
    "c-jpn-usa": ("CONFIDENTIAL", ["JPN", "USA"], ["jpn-jjoc", "jpn-sdf-fleet", "usa-indopacom"]),
    "s-jpn-usa": ("SECRET", ["JPN", "USA"], ["jpn-jjoc", "jpn-sdf-fleet", "usa-indopacom"]),
    "s-jpn": ("SECRET", ["JPN"], ["jpn-jjoc", "jpn-pm"]),
    "u-twn": ("UNCLASSIFIED", ["JPN", "TWN"], ["lno-taiwan"]),
}
EXPECTED = {
    # seat: labels it must see (everything else must stay invisible on every endpoint)
    "control": set(LABELS),
    "jjoc": {"u-all", "c-jpn-usa", "s-jpn-usa", "s-jpn"},
    "pm": {"s-jpn"},
    "fleet": {"c-jpn-usa"},  # CONFIDENTIAL clearance: the SECRET copy stays hidden
    "indopacom": {"u-all", "c-jpn-usa", "s-jpn-usa"},
    "twn": {"u-all", "u-twn"},
    "unc": {"u-all"},
    "watcher": {"u-all"},  # observer at JJOC, UNCLASSIFIED clearance
    "outsider": set(),
}


@pytest.fixture
def labelled(world):
    ids = {}
    for key, (classification, rel_to, recipients) in LABELS.items():
        r = world.post("control", world.ex("/injects"), {"subject": key, "recipients": recipients,
                                                         "classification": classification, "rel_to": rel_to})
        assert r.status_code == 201, r.text
        ids[key] = r.json()["id"]
    return world, ids


@pytest.mark.parametrize("seat", sorted(EXPECTED))
def test_visibility_matrix_on_every_endpoint(labelled, seat):
    world, ids = labelled
    listed = world.get(seat, world.ex("/messages"))
    if seat == "outsider":
        assert listed.status_code == 404
    else:
        assert {m["subject"] for m in listed.json()} == EXPECTED[seat]
        injects = world.get(seat, world.ex("/messages"), params={"kind": "inject"}).json()
        assert {m["subject"] for m in injects} == EXPECTED[seat]
    for key, mid in ids.items():
        single = world.get(seat, world.ex(f"/messages/{mid}"))
        assert (single.status_code == 200) == (key in EXPECTED[seat]), (seat, key)
        html = world.client.get(f"/exercises/{world.eid}", headers=world.h(seat)).text
        assert (f'data-id="{mid}"' in html) == (key in EXPECTED[seat]), (seat, key, "page")


def test_third_country_liaison_never_sees_unreleased_orders(world):
    sent = [world.order("jjoc", "isr", "jpn-sdf-fleet", ["JPN"]),
            world.order("jjoc", "bmd-intercept", "jpn-sdf-fleet", ["JPN"], classification="SECRET")]
    assert [r.status_code for r in sent] == [201, 201], [r.text for r in sent]
    ids = {r.json()["id"] for r in sent}
    # The orders exist and their sender reads them: what the liaison officers do not see is there to be seen.
    assert ids <= {m["id"] for m in world.get("jjoc", world.ex("/messages")).json()}
    for seat in ("twn", "unc"):
        assert world.get(seat, world.ex("/messages")).json() == []
        assert world.get(seat, world.ex("/approvals")).json() == []
        for mid in ids:
            assert world.get(seat, world.ex(f"/messages/{mid}")).status_code == 404


def test_addressing_a_nation_outside_rel_to_is_refused(world):
    r = world.post("jjoc", world.ex("/messages"), {"kind": "request", "recipients": ["lno-taiwan"],
                                                   "subject": "x", "rel_to": ["JPN", "USA"]})
    assert r.status_code == 422
    assert "lno-taiwan (TWN)" in r.json()["detail"]


def test_labels_parse_and_print():
    label = parse_marking("secret // rel to usa, jpn", ["JPN", "USA"])
    assert label == Label("SECRET", ("JPN", "USA"))
    assert label.marking() == "SECRET // REL TO JPN, USA"
    with pytest.raises(LabelError, match="TOP SECRET"):
        make_label("TOP SECRET", ["JPN"], ["JPN"])
    with pytest.raises(LabelError, match="KOR"):
        make_label("SECRET", ["KOR"], ["JPN", "USA"])


NATIONS = ["JPN", "USA", "TWN", "UN"]
ORGS = ["jpn-jjoc", "jpn-pm", "usa-indopacom", "lno-taiwan", "lno-unc"]


@st.composite
def seats(draw):
    role = draw(st.sampled_from(["control", "player", "observer"]))
    return SeatRecord(id=1, exercise_id=draw(st.sampled_from([1, 2])), user_id=1, nation=draw(st.sampled_from(NATIONS)),
                organization=draw(st.sampled_from(ORGS)), role=role, clearance=draw(st.integers(0, 2)))


@st.composite
def items(draw):
    rel_to = draw(st.lists(st.sampled_from(NATIONS), min_size=1, unique=True))
    return (draw(st.sampled_from([1, 2])), draw(st.sampled_from(ORGS)),
            draw(st.lists(st.sampled_from(ORGS), min_size=1, unique=True)),
            Label(draw(st.sampled_from(CLASSIFICATIONS)), tuple(sorted(rel_to))))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seat=seats(), item=items())
def test_rule_never_leaks(seat, item):
    exercise_id, sender, recipients, label = item
    if may_see(seat, exercise_id, sender, recipients, label) and seat.role != "control":
        assert seat.nation in label.rel_to
        assert label.rank <= seat.clearance
        assert seat.organization in (*recipients, sender)
    if exercise_id != seat.exercise_id:
        assert not may_see(seat, exercise_id, sender, recipients, label)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seat=seats(), item=items())
def test_sql_filter_equals_the_rule(sqlite_db, seat, item):
    from sqlalchemy import delete, select

    from alliance_c2.exercise.db.tables import Message, Recipient, Release
    from alliance_c2.exercise.service.releasability import visible_to

    exercise_id, sender, recipients, label = item
    with sqlite_db.write() as session:
        session.execute(delete(Recipient))
        session.execute(delete(Release))
        session.execute(delete(Message))
        m = Message(exercise_id=exercise_id, kind="report", status="delivered", sender_org=sender,
                    classification=label.rank, subject="s", body="", situation="peacetime", game_time=0.0)
        session.add(m)
        session.flush()
        session.add_all([Recipient(message_id=m.id, organization=o) for o in recipients])
        session.add_all([Release(message_id=m.id, nation=n) for n in label.rel_to])
    with sqlite_db.read() as session:
        found = session.execute(select(Message.id).where(visible_to(seat))).first() is not None
    assert found == may_see(seat, exercise_id, sender, recipients, label)


@pytest.fixture
def sqlite_db(sqlite_url):
    from sqlalchemy import event

    from alliance_c2.exercise.db.database import Database

    db = Database(sqlite_url)
    # Bare exercise ids without exercise rows: this property is about the filter, not the keys.
    event.listen(db.engine, "connect", lambda conn, _record: conn.execute("PRAGMA foreign_keys=OFF"))
    db.migrate()
    yield db
    db.dispose()
