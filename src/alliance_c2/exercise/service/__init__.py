"""What the exercise service does, as plain functions over typed values (`db.rows`).

An act reads what it needs through `db`, checks, decides in memory, and hands its changes to
`exercises.store` once.
"""
