"""Alembic environment: the app passes an open connection in `config.attributes`."""
from alembic import context

from coachbot.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
context.run_migrations()
