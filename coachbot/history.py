"""Per-user conversation history: read the recent turns, store one exchange atomically."""
from __future__ import annotations

from sqlalchemy import Table, bindparam, func, insert, select, union_all, update
from sqlalchemy.orm import Session

from .answers import Answer, PastTurn
from .db import driver_statement, insert_if_missing, is_postgresql, sqlite_statement, sqlite_write, write_gate
from .db import session as request_session
from .models import Conversation, Message, Plan, Profile, new_id, utcnow

HISTORY_TURNS = 12
TITLE_CHARS = 80


def recent_turns(session: Session, conversation: Conversation | None) -> list[PastTurn]:
    if conversation is None:
        return []
    rows = session.scalars(
        select(Message).where(Message.conversation_id == conversation.id)
        .order_by(Message.seq.desc(), Message.created_at.desc()).limit(HISTORY_TURNS))
    return [PastTurn(m.role, m.content, (m.meta or {}).get("query", "")) for m in reversed(list(rows))]


def _table(model) -> Table:
    """A model's table, typed as the Core table it is (for INSERT and UPDATE statements)."""
    return model.__table__


# The chat's statements, built once: building and keying a statement on every request cost more than
# running it. They run on the session's connection (Core), which skips the ORM's bookkeeping.
_NEW_CONVERSATION = insert(_table(Conversation))
_NEW_MESSAGES = insert(_table(Message))  # (a two-row VALUES statement would save a round trip, but is never cached)
_TOUCH_CONVERSATION = (update(_table(Conversation)).where(_table(Conversation).c.id == bindparam("conversation_id"))
                       .values(updated_at=bindparam("now")))
_SET_CONVERSATION_STATE = (update(_table(Conversation))
                           .where(_table(Conversation).c.id == bindparam("conversation_id"))
                           .values(updated_at=bindparam("now"), state=bindparam("new_state")))
_MESSAGE_COLUMNS = ("id", "seq", "role", "content", "citations", "meta", "created_at")


def _new_conversation_with_messages():
    """PostgreSQL: a new conversation and its first two messages as one statement (the conversation's
    INSERT in a WITH clause), so in autocommit the write is one round trip and still all or nothing.
    Parameters: the conversation's columns, `now`, and each message's columns suffixed _1 and _2.
    (INSERT ... SELECT ... UNION ALL rather than a two-row VALUES: only the first is cached compiled.)"""
    conversations, messages = _table(Conversation), _table(Message)
    new_conversation = (insert(conversations).values(
        id=bindparam("conversation_id"), user_id=bindparam("user_id"), title=bindparam("title"),
        state=bindparam("state"), created_at=bindparam("now"), updated_at=bindparam("now"))
        .returning(conversations.c.id).cte("new_conversation"))
    rows = [select(*[bindparam(f"{name}_{n}", type_=messages.c[name].type) for name in _MESSAGE_COLUMNS],
                   new_conversation.c.id) for n in (1, 2)]
    return (insert(messages).from_select([*_MESSAGE_COLUMNS, "conversation_id"], union_all(*rows))
            .add_cte(new_conversation))


_NEW_CONVERSATION_WITH_MESSAGES = _new_conversation_with_messages()
_LAST_POSITION = select(func.max(_table(Message).c.seq)).where(
    _table(Message).c.conversation_id == bindparam("conversation_id"))


_CONVERSATION_COLUMNS = ["id", "user_id", "title", "state", "created_at", "updated_at"]


def _first_exchange(conversation_id: str, user_id: str, title: str, state: dict, now, messages: list[dict]) -> None:
    """A new conversation and its first two messages, all or nothing, straight on the driver.

    PostgreSQL: one autocommit statement. SQLite: two INSERTs in one transaction, in the writers' queue."""
    if is_postgresql():
        params = {"conversation_id": conversation_id, "user_id": user_id, "title": title, "state": state, "now": now}
        for n, row in enumerate(messages, start=1):
            params.update({f"{name}_{n}": row[name] for name in _MESSAGE_COLUMNS})
        driver_statement(_NEW_CONVERSATION_WITH_MESSAGES).run(params)
        return
    conversation = {"id": conversation_id, "user_id": user_id, "title": title, "state": state,
                    "created_at": now, "updated_at": now}
    sqlite_write((sqlite_statement(_NEW_CONVERSATION, _CONVERSATION_COLUMNS), [conversation]),
                 (sqlite_statement(_NEW_MESSAGES, [*_MESSAGE_COLUMNS, "conversation_id"]), messages))


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


def save_exchange(session: Session | None, user_id: str, conversation_id: str, create: bool, question: str, query: str,
                  answer: Answer, answer_id: str, state: dict | None = None,
                  profile: dict | None = None, plan: dict | None = None) -> str:
    """Store the question and its answer in one transaction, starting the conversation if `create`;
    returns the conversation's id.

    `state` replaces the conversation's state and `profile` the user's profile, when given;
    `plan` ({"id", "profile", "body"}) is a plan the answer shows, stored for download.
    Raises ConversationGone when the conversation was deleted meanwhile.
    Plain INSERT and UPDATE statements rather than the ORM's unit of work: this is the chat's hot path.
    `session` None: the request's own session, opened only when the write needs one."""
    now = utcnow()
    # Everything Python has to build is built before the write lock is taken, so it is held briefly.
    body = answer.to_dict()
    messages = [
        {"id": new_id(), "conversation_id": conversation_id, "seq": 1, "role": "user",
         "content": question, "citations": [], "meta": {"query": query}, "created_at": now},
        {"id": answer_id, "conversation_id": conversation_id, "seq": 2, "role": "assistant",
         "content": answer.text, "citations": body["citations"],
         "meta": {k: body[k] for k in ("suggestions", "in_scope", "engine", "notice") if k in body},
         "created_at": now},
    ]
    if create and profile is None and plan is None:  # a new conversation (most chats): on the driver
        _first_exchange(conversation_id, user_id, title_for(question), state or {}, now, messages)
        return conversation_id
    session = session or request_session()
    with write_gate(session):
        connection = session.connection()
        if create:
            connection.execute(_NEW_CONVERSATION, {
                "id": conversation_id, "user_id": user_id, "title": title_for(question), "state": state or {},
                "created_at": now, "updated_at": now})
        else:
            # The update comes first: it takes the write lock (SQLite) or the row lock (PostgreSQL), so
            # concurrent answers to one conversation take turns and each reads the true last position.
            touch = _TOUCH_CONVERSATION if state is None else _SET_CONVERSATION_STATE
            touched = connection.execute(touch, {"conversation_id": conversation_id, "now": now, "new_state": state})
            if touched.rowcount == 0:
                session.rollback()
                raise ConversationGone(conversation_id)
            last = connection.execute(_LAST_POSITION, {"conversation_id": conversation_id}).scalar() or 0
            for offset, row in enumerate(messages, start=1):
                row["seq"] = last + offset
        if profile is not None:
            save_profile(session, user_id, profile)
        if plan is not None:
            session.execute(insert(_table(Plan)).values(id=plan["id"], user_id=user_id, profile=plan["profile"],
                                                          body=plan["body"], created_at=now))
        connection.execute(_NEW_MESSAGES, messages)
        session.commit()
    return conversation_id

