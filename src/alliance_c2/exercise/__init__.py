"""The exercise service: a multi-user web service for tabletop exercises inside an arrangement.

Three rooms, imported downward only:

- `web/` — the FastAPI application (`web.app.create_app`), its dependencies (authentication),
  JSON routes, HTML pages, the event stream, request and response schemas, page strings;
- `service/` — plain functions over typed values: exercises, orders, approvals, injects, messages,
  releasability, the clock, the after-action report, accounts and logins, the record's checks;
- `db/` — tables, the database and its group-commit writer, the signed audit log, migrations.

Orders are checked by the law engine, items are released by label, and every act is an entry of a
hash-chained, signed audit log from which the tables and the after-action report follow. See
docs/exercise.md.
"""
