"""Interchange: C2SIM (SISO-STD-019) XML in and out, JSON and GraphML.

Lower layers only: this package imports `model`, nothing above it.
"""

from .c2sim import C2simExport, export_c2sim, organization_uuid, side_uuid
from .c2sim_import import C2simImport, arrangement_yaml, import_c2sim
from .graphml import export_graphml
from .jsonio import arrangement_data, arrangement_from_json, export_json, import_json
from .orders import OrderRecord, order_message, task_action_code
from .schema import SCHEMAS, compiled_schema, schema_problems, validate_c2sim
from .xmlsafe import MAX_XML_BYTES, parse_xml, read_xml

__all__ = [
    "MAX_XML_BYTES",
    "SCHEMAS",
    "C2simExport",
    "C2simImport",
    "OrderRecord",
    "arrangement_data",
    "arrangement_from_json",
    "arrangement_yaml",
    "compiled_schema",
    "export_c2sim",
    "export_graphml",
    "export_json",
    "import_c2sim",
    "import_json",
    "order_message",
    "organization_uuid",
    "parse_xml",
    "read_xml",
    "schema_problems",
    "side_uuid",
    "task_action_code",
    "validate_c2sim",
]
