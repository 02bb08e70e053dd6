"""The application database: users, sessions, audit trail and the prevention strategy.

SQLite (WAL) in the workspace's ``app/`` folder by default; PostgreSQL when the
workspace config (``app.database_url``) or ``ENDVAC_APP_DATABASE_URL`` gives a
``postgresql://`` URL.  Components declare their tables as :class:`Migration`
lists and apply them with :meth:`AppDB.migrate`; SQL is written once with ``?``
placeholders and portable types (TEXT, INTEGER, BIGINT, DOUBLE PRECISION,
BOOLEAN stored as INTEGER 0/1) and run through :meth:`AppDB.run` and friends.
"""

from endvac.appdb.db import AppDB, Migration, connect_app_db, open_app_db

__all__ = ["AppDB", "Migration", "connect_app_db", "open_app_db"]
