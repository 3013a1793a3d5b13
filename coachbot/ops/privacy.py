"""A user's data: export all of it, erase all of it, and purge what nobody touched for long
(conversations, plans, and whole accounts with everything in them).

Tables are found through the models' metadata, so a table added later that holds a `user_id`
(or points at a conversation or a message) is exported and erased without changes here.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from sqlalchemy import Table, and_, delete, exists, or_, select
from sqlalchemy.orm import Session

from ..models import Base, Conversation, Feedback, Message, Plan, Profile, User, utcnow

BATCH = 500
AGE = re.compile(r"(\d{1,12})\s*([hdw])")
AGE_UNITS = {"h": "hours", "d": "days", "w": "weeks"}
# How long data is kept without activity when `coachbot purge` is given no --older-than.
DEFAULT_RETENTION = "90d"
LONGEST_AGE = timedelta(days=100 * 366)


def parse_age(text: str) -> timedelta:
    """'90d', '12h' or '2w' as a duration (a hundred years at most)."""
    match = AGE.fullmatch(text.strip().lower())
    if not match or int(match.group(1)) <= 0:
        raise ValueError(f"not an age like 90d, 12h or 2w: {text!r}")
    number, unit = int(match.group(1)), match.group(2)
    if number > LONGEST_AGE / timedelta(**{AGE_UNITS[unit]: 1}):
        raise ValueError(f"not an age like 90d, 12h or 2w: {text!r} is longer than a hundred years")
    return timedelta(**{AGE_UNITS[unit]: number})


def iso_utc(moment: datetime) -> str:
    # SQLite hands back naive datetimes; they were stored in UTC.
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).isoformat()


def _jsonable(value):
    return iso_utc(value) if isinstance(value, datetime) else value


def _row_dict(row) -> dict:
    return {key: _jsonable(value) for key, value in row._mapping.items()}


def _points_at(table: Table, target: Table) -> list:
    """The columns of `table` that are foreign keys to `target`."""
    return [fk.parent for fk in table.foreign_keys if fk.column.table is target]


def _owned_tables() -> list[Table]:
    """Tables that hang off a user, a conversation or a message, children first."""
    roots = {User.__table__, Conversation.__table__, Message.__table__}
    return [t for t in reversed(Base.metadata.sorted_tables)
            if t not in roots and ("user_id" in t.c or any(_points_at(t, r) for r in roots))]


def _delete_dependents(session: Session, conversation_ids: list[str], user_id: str | None = None) -> None:
    """Delete every row that belongs to these conversations (or to this user), then the conversations."""
    for start in range(0, max(len(conversation_ids), 1), BATCH):
        chunk = conversation_ids[start:start + BATCH]
        message_ids = select(Message.id).where(Message.conversation_id.in_(chunk))
        for table in _owned_tables():
            conditions = [col.in_(message_ids) for col in _points_at(table, Message.__table__)]
            conditions += [col.in_(chunk) for col in _points_at(table, Conversation.__table__)]
            if user_id is not None and "user_id" in table.c:
                conditions.append(table.c.user_id == user_id)
            for condition in conditions:
                session.execute(delete(table).where(condition))
        session.execute(delete(Message).where(Message.conversation_id.in_(chunk)))
        session.execute(delete(Conversation).where(Conversation.id.in_(chunk)))


def erase_user(session: Session, user_id: str) -> None:
    """Delete the user and everything stored about them (the caller commits)."""
    conversation_ids = list(session.scalars(select(Conversation.id).where(Conversation.user_id == user_id)))
    _delete_dependents(session, conversation_ids, user_id)
    session.execute(delete(User).where(User.id == user_id))


def purge_conversations(session: Session, older_than: timedelta, now: datetime | None = None) -> int:
    """Delete conversations not updated within `older_than`; returns how many. Commits per batch."""
    cutoff = (now or utcnow()) - older_than
    total = 0
    while True:
        ids = list(session.scalars(select(Conversation.id).where(Conversation.updated_at < cutoff).limit(BATCH)))
        if not ids:
            return total
        _delete_dependents(session, ids)
        session.commit()
        total += len(ids)


def _idle_users(cutoff: datetime):
    """Users with nothing created, updated or revoked since `cutoff`."""
    return select(User.id).where(
        User.created_at < cutoff,
        or_(User.revoked_at.is_(None), User.revoked_at < cutoff),
        ~exists().where(and_(Conversation.user_id == User.id, Conversation.updated_at >= cutoff)),
        ~exists().where(and_(Profile.user_id == User.id, Profile.updated_at >= cutoff)),
        ~exists().where(and_(Plan.user_id == User.id, Plan.created_at >= cutoff)),
        ~exists().where(and_(Feedback.user_id == User.id, Feedback.created_at >= cutoff)),
    )


def purge_idle_users(session: Session, older_than: timedelta, now: datetime | None = None) -> int:
    """Erase every account idle for `older_than` (profile, plans, feedback, conversations, user); commits per batch."""
    cutoff = (now or utcnow()) - older_than
    total = 0
    while True:
        ids = list(session.scalars(_idle_users(cutoff).limit(BATCH)))
        if not ids:
            return total
        for user_id in ids:
            erase_user(session, user_id)
        session.commit()
        total += len(ids)


def purge_old_plans(session: Session, older_than: timedelta, now: datetime | None = None) -> int:
    """Delete plans made longer ago than `older_than` (each is a large snapshot, made again on request)."""
    cutoff = (now or utcnow()) - older_than
    deleted = session.execute(delete(Plan).where(Plan.created_at < cutoff)).rowcount
    session.commit()
    return deleted


def purge(session: Session, older_than: timedelta, now: datetime | None = None) -> dict:
    """The whole retention rule; returns how many of each kind of thing were deleted."""
    now = now or utcnow()
    return {"conversation": purge_conversations(session, older_than, now),
            "plan": purge_old_plans(session, older_than, now),
            "user": purge_idle_users(session, older_than, now)}


def export_user(session: Session, user: User) -> dict:
    """Everything stored about the user, as JSON-ready data."""
    conversations = []
    for conversation in session.scalars(
            select(Conversation).where(Conversation.user_id == user.id).order_by(Conversation.created_at)):
        messages = session.execute(select(Message.__table__).where(Message.conversation_id == conversation.id)
                                   .order_by(Message.seq, Message.created_at))
        conversations.append({
            "id": conversation.id, "title": conversation.title, "state": conversation.state or {},
            "created_at": _jsonable(conversation.created_at), "updated_at": _jsonable(conversation.updated_at),
            "messages": [_row_dict(m) for m in messages],
        })
    export = {
        "user": {"id": user.id, "created_at": _jsonable(user.created_at)},
        "exported_at": _jsonable(utcnow()),
        "conversations": conversations,
    }
    for table in _owned_tables():
        if "user_id" in table.c:
            rows = [_row_dict(r) for r in session.execute(select(table).where(table.c.user_id == user.id))]
            export[table.name] = rows
    # One profile per user: an object (or null) reads better than a list of one.
    if "profiles" in export:
        profiles = export.pop("profiles")
        export["profile"] = profiles[0] if profiles else None
    return export
