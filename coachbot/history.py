"""Per-user conversation history: read the recent turns, store one exchange atomically."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .answers import Answer, PastTurn
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


def save_exchange(session: Session, user_id: str, conversation_id: str, create: bool, question: str, query: str,
                  answer: Answer, answer_id: str, state: dict | None = None,
                  profile: dict | None = None, plan: dict | None = None) -> Conversation:
    """Store the question and its answer in one transaction, starting the conversation if `create`.

    `state` replaces the conversation's state and `profile` the user's profile, when given;
    `plan` ({"id", "profile", "body"}) is a plan the answer shows, stored for download."""
    if create:
        conversation = Conversation(id=conversation_id, user_id=user_id, title=title_for(question))
        session.add(conversation)
        last = 0
    else:
        # Lock the conversation row so concurrent requests to it take turns (PostgreSQL).
        conversation = session.scalars(
            select(Conversation).where(Conversation.id == conversation_id).with_for_update()).one()
        last = session.scalar(select(func.max(Message.seq)).where(Message.conversation_id == conversation_id)) or 0
    now = utcnow()
    conversation.updated_at = now
    if state is not None:
        conversation.state = state
    if profile is not None:
        stored = session.get(Profile, user_id)
        if stored is None:
            session.add(Profile(user_id=user_id, data=profile, updated_at=now))
        else:
            stored.data, stored.updated_at = profile, now
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
