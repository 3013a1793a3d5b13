"""POST /api/chat: one question in, one cited answer out (JSON or Server-Sent Events)."""
from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, g, jsonify, request, stream_with_context

from .. import db
from ..coach import ChatContext
from ..engines.base import Answer, Delta, Meta, final_answer
from ..history import ConversationGone, recent_turns, save_exchange
from ..http import ApiError
from ..models import new_id
from ..services import services
from .auth import login_required
from .conversations import owned_conversation
from .requests import json_body

bp = Blueprint("chat", __name__)


def read_chat_request() -> tuple[str, str | None]:
    body = json_body()
    message = body.get("message")
    if not isinstance(message, str):
        raise ApiError(400, "bad_message", "'message' is required and must be a string.")
    message = message.strip()  # the limit counts what is kept, not surrounding white space
    if not message:
        raise ApiError(400, "empty_message", "'message' is empty; type a question.")
    limit = current_app.config["SETTINGS"].max_message_chars
    if len(message) > limit:
        raise ApiError(413, "message_too_long", f"'message' is too long ({limit} characters at most).")
    conversation_id = body.get("conversation_id")
    if conversation_id is not None and not isinstance(conversation_id, str):
        raise ApiError(400, "bad_conversation_id", "'conversation_id' must be a string or null.")
    return message, conversation_id


def sse(event: str, data: dict) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


@bp.post("/api/chat")
@login_required
def chat():
    message, conversation_id = read_chat_request()
    conversation = owned_conversation(conversation_id) if conversation_id is not None else None
    # A new conversation (most chats) opens no ORM session: its user and its write are on the driver.
    session = db.session() if conversation is not None else None
    history = recent_turns(session, conversation) if session is not None else []
    context = ChatContext(state=dict(conversation.state or {}) if conversation else {},
                          profile=dict(g.user.profile or {}))
    coach = services().coach
    reply = coach.respond(message, history, context)
    answer_id = new_id()
    create = conversation_id is None
    conversation_id = conversation_id or new_id()  # known now, so a stream's first event can name it
    user_id = g.user.id
    if session is not None and current_app.config["SETTINGS"].model_configured:
        session.commit()  # end the read transaction (and free its connection) before a slow model answer

    def finish(answer: Answer) -> dict:
        try:
            stored_id = save_exchange(session, user_id, conversation_id, create, message, reply.query, answer,
                                      answer_id, state=reply.state, profile=reply.profile, plan=reply.plan)
        except ConversationGone:
            raise ApiError(404, "conversation_not_found",
                           "This conversation was deleted while the answer was being written.") from None
        services().count_answer(answer)
        return {"conversation_id": stored_id, "message_id": answer_id, **answer.to_dict()}

    if "text/event-stream" not in request.headers.get("Accept", ""):
        answer = final_answer(reply.events)
        return jsonify(finish(answer))

    @stream_with_context
    def events():
        try:
            for event in reply.events:
                if isinstance(event, Meta):
                    yield sse("meta", {"conversation_id": conversation_id, "message_id": answer_id,
                                       "citations": [c.to_dict() for c in event.citations]})
                elif isinstance(event, Delta):
                    yield sse("delta", {"text": event.text})
                elif isinstance(event, Answer):
                    yield sse("done", finish(event))
        except GeneratorExit:  # the client went away: stop the engine (and any model call)
            reply.events.close()
            raise
        except ApiError as err:
            yield sse("error", {"error": {"code": err.code, "message": err.message}})
        except Exception:
            current_app.logger.exception("streamed answer failed")
            yield sse("error", {"error": {"code": "stream_failed",
                                          "message": "The answer could not be finished; try again."}})

    return Response(events(), mimetype="text/event-stream",
                    headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
