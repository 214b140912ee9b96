"""The data layer's plumbing, below the repositories.

- `statements.py`: turns a SQLModel/SQLAlchemy statement into what psycopg runs, once.
- `session.py`: `DbSession`, a request's connection and transaction, and the middleware that
  finishes it; `pool.py`: the psycopg pool it draws from.
- `urls.py`: DATABASE_URL's forms; `embedded.py`: the zero set-up server (pgserver).
- `schema_state.py`: is the database at this code's Alembic head?
"""
