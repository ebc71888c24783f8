"""The authority engine: verdicts, approvals, chains of command and the study's constraints."""

from .audit import AuditReport, audit
from .build import load_law_catalog
from .catalog import (
    Action,
    Approval,
    Constraint,
    LawCatalog,
    ProcedureStep,
    Provision,
    Reform,
    Situation,
)
from .engine import check, clear_cache, default_catalog, law_date, procedure, relations_without_basis
from .verdict import EARLIEST_LAW_DATE, WARNING_CONSTRAINTS, ApprovalStep, BasisUsed, Block, Finding, Verdict

__all__ = [
    "EARLIEST_LAW_DATE",
    "WARNING_CONSTRAINTS",
    "Action",
    "Approval",
    "ApprovalStep",
    "AuditReport",
    "BasisUsed",
    "Block",
    "Constraint",
    "Finding",
    "LawCatalog",
    "ProcedureStep",
    "Provision",
    "Reform",
    "Situation",
    "Verdict",
    "audit",
    "check",
    "clear_cache",
    "default_catalog",
    "law_date",
    "load_law_catalog",
    "procedure",
    "relations_without_basis",
]
