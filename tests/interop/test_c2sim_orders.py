"""C2SIM order messages from simple order records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from alliance_c2.interop import OrderRecord, order_message, parse_xml, schema_problems
from alliance_c2.model import UnknownIdError, load_architecture

ISSUED = datetime(2030, 5, 1, 9, 0, tzinfo=UTC)


def _orders() -> list[OrderRecord]:
    return [
        OrderRecord("jpn-jjoc", "jpn-adc", "bmd-intercept", datetime(2030, 5, 1, 9, 5, tzinfo=UTC)),
        OrderRecord("jpn-jjoc", "jpn-sdf-fleet", "asset-protection", timedelta(minutes=30)),
    ]


@pytest.mark.parametrize("schema", ["2.0.0", "1.1"])
def test_order_message_is_schema_valid(schema: str) -> None:
    xml = order_message(load_architecture("2024-proposal"), _orders(), schema=schema, issued=ISSUED)
    assert schema_problems(parse_xml(xml, "order.xml"), schema, "order.xml") == []
    assert b"<TaskActionCode>INTCEP</TaskActionCode>" in xml
    assert b"P00Y00M00DT00H30M00S" in xml


def test_same_orders_give_the_same_message() -> None:
    arch = load_architecture("2024-proposal")
    assert order_message(arch, _orders(), issued=ISSUED) == order_message(arch, _orders(), issued=ISSUED)


def test_mixed_issuers_are_refused() -> None:
    orders = [*_orders(), OrderRecord("usa-indopacom", "usa-7th-fleet", "isr", timedelta(0))]
    with pytest.raises(ValueError, match="one issuer"):
        order_message(load_architecture("2024-proposal"), orders)


def test_unknown_action_is_refused() -> None:
    with pytest.raises(UnknownIdError):
        order_message(
            load_architecture("2024-proposal"), [OrderRecord("jpn-jjoc", "jpn-adc", "dance", timedelta(0))]
        )
