"""Start-up migrates only a database that is not at the newest revision, and finds which one is
newest as alembic does."""
from __future__ import annotations

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text

from coachbot.db import MIGRATIONS_DIR, at_head, head_revisions, make_engine, migrate


def test_the_newest_revision_is_alembics():
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert head_revisions() == set(ScriptDirectory.from_config(config).get_heads())


def test_a_fresh_or_older_database_is_migrated(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert not at_head(engine)  # fresh
    migrate(engine)
    assert at_head(engine)
    migrate(engine)  # at the newest revision: nothing to do
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'older'"))
    assert not at_head(engine)
    engine.dispose()
