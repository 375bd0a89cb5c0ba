"""The one error type a user is ever told about. `RiverBoardError` carries the sentence for the user (Chinese,
`message`, also its `str`) and, apart, what the server log needs (`detail`: ids, English, internals). Every
refusal in the code base is one of its kinds, so a page catches `RiverBoardError` and shows it one way
(`ui/frame.show_error`); anything else reaching a page is a fault, shown with an error id only."""
from __future__ import annotations


class RiverBoardError(Exception):
    """Refused, or cannot be done now: `message` says why to the user, in Chinese; `detail` is for the log."""

    def __init__(self, message: str = "", detail: str = ""):
        super().__init__(message)
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return self.message


class RuleError(RiverBoardError, ValueError):
    """A value a domain rule cannot take (a progress above 100%, a negative concentration, an unknown light):
    the checks before a publish should have caught it; the sentence names the value."""
