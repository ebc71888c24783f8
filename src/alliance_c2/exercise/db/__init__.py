"""The exercise service's storage: tables, transactions, the audit log and its signatures, migrations.

Nothing here knows the domain's rules; `service` decides, and hands this layer typed rows and log
entries to store (see `projection`).
"""
