"""Interchange: C2SIM (SISO-STD-019) XML in and out, JSON and GraphML.

This package imports `model`, and `law` for checking partners' orders (`check_order`); nothing
above them imports it back.
"""

from .c2sim import C2simExport, entity_uuid, export_c2sim, organization_uuid, side_uuid, uncarried_fields
from .c2sim_import import C2simImport, arrangement_yaml, import_c2sim
from .graphml import export_graphml
from .jsonio import arrangement_data, arrangement_from_json, export_json, import_json
from .message import C2simMessage, parse_message, read_message
from .order_check import MappedTask, OrderCheck, TaskCheck, check_order, map_task, organization_for
from .order_read import C2simOrder, C2simTask, parse_order, read_order
from .orders import OrderRecord, order_message, task_action_code
from .schema import SCHEMAS, compiled_schema, schema_problems, validate_c2sim
from .task_verbs import TaskVerbs, task_verbs
from .xmlsafe import MAX_XML_BYTES, parse_xml, read_xml

__all__ = [
    "MAX_XML_BYTES",
    "SCHEMAS",
    "C2simExport",
    "C2simImport",
    "C2simMessage",
    "C2simOrder",
    "C2simTask",
    "MappedTask",
    "OrderCheck",
    "OrderRecord",
    "TaskCheck",
    "TaskVerbs",
    "arrangement_data",
    "arrangement_from_json",
    "arrangement_yaml",
    "check_order",
    "compiled_schema",
    "entity_uuid",
    "export_c2sim",
    "export_graphml",
    "export_json",
    "import_c2sim",
    "import_json",
    "map_task",
    "order_message",
    "organization_for",
    "organization_uuid",
    "parse_message",
    "parse_order",
    "parse_xml",
    "read_message",
    "read_order",
    "read_xml",
    "schema_problems",
    "side_uuid",
    "task_action_code",
    "task_verbs",
    "uncarried_fields",
    "validate_c2sim",
]
