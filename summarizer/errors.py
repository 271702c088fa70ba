"""Errors that carry where the problem is, so the message can say what to fix."""
from __future__ import annotations


class SummarizerError(Exception):
    """Base class: every error a user can cause by input, rules or templates."""

    exit_code = 2


class ArticleError(SummarizerError):
    """An article that cannot be read: names the file, the line or byte offset, and the cause."""

    def __init__(self, source: str, cause: str, line: int | None = None, offset: int | None = None,
                 record: bool = False):
        # record: the error is one line of a JSON Lines input (its id is `source:line`)
        self.source, self.cause, self.line, self.offset, self.record = source, cause, line, offset, record
        where = source
        if line is not None:
            where += f":{line}"
        if offset is not None:
            where += f" (byte {offset})"
        super().__init__(f"{where}: {cause}")

    def __reduce__(self):  # errors cross process boundaries in batch --jobs
        return (type(self), (self.source, self.cause, self.line, self.offset, self.record))


class RuleError(SummarizerError):
    """A rule pack that cannot be loaded: names the file, line and rule id before anything runs."""

    def __init__(self, path: str, cause: str, line: int | None = None, rule_id: str | None = None):
        self.path, self.cause, self.line, self.rule_id = path, cause, line, rule_id
        where = f"{path}:{line}" if line else path
        if rule_id:
            where += f": rule {rule_id}"
        super().__init__(f"{where}: {cause}")

    def __reduce__(self):
        return (type(self), (self.path, self.cause, self.line, self.rule_id))


class TemplateError(SummarizerError):
    """A template that fails to render or renders something the contract does not allow."""
