"""A user's conversations: list, read, delete; feedback on an answer."""
from __future__ import annotations

from datetime import timezone

from flask import Blueprint, g, jsonify
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from .. import db
from ..models import Conversation, Feedback, Message
from .auth import login_required
from .errors import ApiError
from .requests import json_body, optional_str

bp = Blueprint("conversations", __name__)


def owned_conversation(conversation_id: str) -> Conversation:
    conversation = db.session().get(Conversation, conversation_id) if isinstance(conversation_id, str) else None
    if conversation is None or conversation.user_id != g.user.id:
        raise ApiError(404, "conversation_not_found", "No such conversation for this user.")
    return conversation


def iso(moment) -> str | None:
    """ISO 8601 in UTC; SQLite hands back naive datetimes, which were stored as UTC."""
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).isoformat()


def message_dict(message: Message) -> dict:
    body = {"id": message.id, "role": message.role, "content": message.content,
            "citations": message.citations or [], "created_at": iso(message.created_at)}
    for key in ("suggestions", "in_scope", "engine", "notice"):
        if key in (message.meta or {}):
            body[key] = message.meta[key]
    return body


@bp.get("/api/conversations")
@login_required
def list_conversations():
    rows = db.session().scalars(
        select(Conversation).where(Conversation.user_id == g.user.id)
        .order_by(Conversation.updated_at.desc()).limit(200))
    return jsonify({"conversations": [
        {"id": c.id, "title": c.title, "created_at": iso(c.created_at), "updated_at": iso(c.updated_at)}
        for c in rows]})


@bp.get("/api/conversations/<conversation_id>")
@login_required
def get_conversation(conversation_id: str):
    conversation = owned_conversation(conversation_id)
    messages = db.session().scalars(
        select(Message).where(Message.conversation_id == conversation.id)
        .order_by(Message.seq, Message.created_at))
    return jsonify({"id": conversation.id, "title": conversation.title,
                    "created_at": iso(conversation.created_at), "updated_at": iso(conversation.updated_at),
                    "messages": [message_dict(m) for m in messages]})


@bp.delete("/api/conversations/<conversation_id>")
@login_required
def delete_conversation(conversation_id: str):
    session = db.session()
    # One statement, and the database's cascades remove messages and feedback: an answer being
    # written to this conversation at the same moment cannot make the delete fail half-way.
    done = session.execute(delete(Conversation).where(Conversation.id == conversation_id,
                                                      Conversation.user_id == g.user.id))
    session.commit()
    if done.rowcount == 0:
        raise ApiError(404, "conversation_not_found", "No such conversation for this user.")
    return "", 204


@bp.post("/api/messages/<message_id>/feedback")
@login_required
def give_feedback(message_id: str):
    body = json_body()
    rating = body.get("rating")
    if rating not in ("up", "down"):
        raise ApiError(400, "bad_rating", "'rating' must be \"up\" or \"down\".")
    comment = optional_str(body, "comment", max_len=2000) or ""
    session = db.session()
    message_id = session.scalar(select(Message.id).join(Conversation).where(
        Message.id == message_id, Conversation.user_id == g.user.id))
    if message_id is None:
        raise ApiError(404, "message_not_found", "No such message for this user.")
    session.add(Feedback(message_id=message_id, user_id=g.user.id, rating=rating, comment=comment))
    try:
        session.commit()
    except IntegrityError:  # the conversation was deleted in between
        session.rollback()
        raise ApiError(404, "message_not_found", "No such message for this user.") from None
    return "", 204
