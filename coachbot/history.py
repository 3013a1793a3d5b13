"""Per-user conversation history: read the recent turns, store one exchange atomically."""
from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from .coach import PastTurn
from .db import insert_if_missing
from .engines.base import Answer
from .models import Conversation, Message, Plan, Profile, utcnow

HISTORY_TURNS = 12
TITLE_CHARS = 80


def recent_turns(session: Session, conversation: Conversation | None) -> list[PastTurn]:
    if conversation is None:
        return []
    rows = session.scalars(
        select(Message).where(Message.conversation_id == conversation.id)
        .order_by(Message.seq.desc(), Message.created_at.desc()).limit(HISTORY_TURNS))
    return [PastTurn(m.role, m.content, (m.meta or {}).get("query", "")) for m in reversed(list(rows))]


def stored_profile(session: Session, user_id: str) -> dict:
    profile = session.get(Profile, user_id)
    return dict(profile.data) if profile else {}


def title_for(message: str) -> str:
    title = " ".join(message.split())
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1].rsplit(" ", 1)[0] + "…"


def lock_profile(session: Session, user_id: str) -> Profile:
    """The user's profile row, created if missing and locked until the transaction ends.

    The insert is the transaction's first statement: on SQLite it takes the database's write lock
    (so a read-merge-write cannot interleave with another), on PostgreSQL it cannot clash with a
    concurrent insert, and the row lock then makes concurrent changes to one profile take turns."""
    session.execute(insert_if_missing(session, Profile, user_id=user_id, data={}, updated_at=utcnow()))
    return session.scalars(select(Profile).where(Profile.user_id == user_id)
                           .with_for_update().execution_options(populate_existing=True)).one()


def save_profile(session: Session, user_id: str, data: dict) -> None:
    """Replace the user's profile (the caller commits); safe when requests race."""
    row = lock_profile(session, user_id)
    row.data, row.updated_at = data, utcnow()


class ConversationGone(LookupError):
    """The conversation was deleted while its answer was being written."""


def save_exchange(session: Session, user_id: str, conversation_id: str, create: bool, question: str, query: str,
                  answer: Answer, answer_id: str, state: dict | None = None,
                  profile: dict | None = None, plan: dict | None = None) -> Conversation:
    """Store the question and its answer in one transaction, starting the conversation if `create`.

    `state` replaces the conversation's state and `profile` the user's profile, when given;
    `plan` ({"id", "profile", "body"}) is a plan the answer shows, stored for download.
    Raises ConversationGone when the conversation was deleted meanwhile."""
    now = utcnow()
    if create:
        conversation = Conversation(id=conversation_id, user_id=user_id, title=title_for(question),
                                    created_at=now, updated_at=now)
        session.add(conversation)
        last = 0
    else:
        # The update comes first: it takes the write lock (SQLite) or the row lock (PostgreSQL), so
        # concurrent answers to one conversation take turns and each reads the true last position.
        touched = session.execute(update(Conversation).where(Conversation.id == conversation_id)
                                  .values(updated_at=now).execution_options(synchronize_session=False))
        if touched.rowcount == 0:
            session.rollback()
            raise ConversationGone(conversation_id)
        conversation = session.scalars(select(Conversation).where(Conversation.id == conversation_id)
                                       .execution_options(populate_existing=True)).one()
        last = session.scalar(select(func.max(Message.seq)).where(Message.conversation_id == conversation_id)) or 0
    if state is not None:
        conversation.state = state
    if profile is not None:
        save_profile(session, user_id, profile)
    if plan is not None:
        session.add(Plan(id=plan["id"], user_id=user_id, profile=plan["profile"], body=plan["body"], created_at=now))
    session.add(Message(conversation_id=conversation.id, seq=last + 1, role="user", content=question,
                        meta={"query": query}, created_at=now))
    body = answer.to_dict()
    session.add(Message(id=answer_id, conversation_id=conversation.id, seq=last + 2, role="assistant",
                        content=answer.text, citations=body["citations"],
                        meta={k: body[k] for k in ("suggestions", "in_scope", "engine", "notice") if k in body},
                        created_at=now))
    session.commit()
    return conversation
