"""Every military organization in the bundled arrangements has a valid APP-6C letter SIDC."""

from __future__ import annotations

import pytest

from alliance_c2.model import bundled_architectures, load_architecture
from alliance_c2.model.schema import SIDC_PATTERN


@pytest.mark.parametrize("arch_id", bundled_architectures())
def test_military_organizations_have_app6c_sidc(arch_id: str) -> None:
    arch = load_architecture(arch_id)
    bad = [o.id for o in arch.military() if not (o.sidc and len(o.sidc) == 15 and SIDC_PATTERN.match(o.sidc))]
    assert bad == []
