"""Schema migrations (Alembic), run by ``Store.create_schema`` on SQLite and PostgreSQL alike.

``HEAD`` names the newest revision so a store already at head skips importing Alembic.
A test checks it against the migration scripts.
"""

HEAD = "0004"
