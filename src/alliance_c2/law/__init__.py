"""The authority engine: verdicts, approvals, chains of command and the study's constraints."""

from .audit import AuditReport, audit
from .catalog import (
    Action,
    Approval,
    Constraint,
    LawCatalog,
    ProcedureStep,
    Reform,
    Situation,
    load_law_catalog,
)
from .engine import Block, Finding, Verdict, check, clear_cache, default_catalog, procedure

__all__ = [
    "Action",
    "Approval",
    "AuditReport",
    "Block",
    "Constraint",
    "Finding",
    "LawCatalog",
    "ProcedureStep",
    "Reform",
    "Situation",
    "Verdict",
    "audit",
    "check",
    "clear_cache",
    "default_catalog",
    "load_law_catalog",
    "procedure",
]
