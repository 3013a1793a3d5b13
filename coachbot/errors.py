"""The one base of Coachbot's own errors: a problem the person running it can fix (a setting, a
knowledge or prompts file, the model server, a request), with a message that says what is wrong.
The command line and the server's start-up show such an error as one line, not a traceback."""
from __future__ import annotations


class CoachbotError(Exception):
    """A problem Coachbot can name in one line. Subclasses keep their older built-in bases too
    (ValueError, RuntimeError), so code that catches those still does."""

    kind = ""  # how the one line names the problem; the class name when empty

    def one_line(self) -> str:
        return f"coachbot: {self.kind or type(self).__name__}: {self}"
