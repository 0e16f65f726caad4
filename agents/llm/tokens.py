"""Approximate token counting that needs no network and no tokenizer tables.

tiktoken downloads its BPE tables at run time, which the offline default cannot rely on.
These counts follow the shape of BPE tokenizers closely enough for budgeting (within
roughly 10-20 % of cl100k/o200k on English prose and code): a common short word is one
token, longer words cost about one token per four characters, every punctuation mark
is a token, digits group in threes, and non-Latin scripts cost about a token per
character. Use them for budgets and usage estimates, never for billing.
"""

import math
import re
from collections.abc import Mapping, Sequence
from typing import TypeVar

# Per-message framing of the chat format ("<|start|>role ... <|end|>") and the priming of
# the reply, as in OpenAI's published counting recipe.
MESSAGE_OVERHEAD_TOKENS = 4
REPLY_PRIMING_TOKENS = 3

ChatMessage = TypeVar("ChatMessage", bound=Mapping[str, object])

_PIECE = re.compile(
    r"""
      (?P<latin>[A-Za-z]+)
    | (?P<digits>[0-9]+)
    | (?P<space>\s+)
    | (?P<wide>[\u2E80-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\U00020000-\U0002FA1F])
    | (?P<other>[^\sA-Za-z0-9])
    """,
    re.VERBOSE,
)


def count_tokens(text: str) -> int:
    """Estimated number of tokens in ``text`` (0 for the empty string)."""
    tokens = 0
    for match in _PIECE.finditer(text):
        kind = match.lastgroup
        piece = match.group()
        if kind == "latin":
            # BPE vocabularies hold most words up to ~6 letters whole.
            tokens += 1 if len(piece) <= 6 else math.ceil(len(piece) / 4)
        elif kind == "digits":
            tokens += math.ceil(len(piece) / 3)
        elif kind == "space":
            # A single space merges into the next word; runs (indentation) cost extra.
            if len(piece) > 1:
                tokens += math.ceil((len(piece) - 1) / 4)
        elif kind == "wide":
            tokens += 1
        else:
            # Accented letters and symbols outside ASCII often take two byte-level tokens.
            tokens += 1 if piece.isascii() else 2
    return tokens


def count_message_tokens(messages: Sequence[Mapping[str, object]]) -> int:
    """Estimated prompt size of chat ``messages`` ({"role", "content"} dicts), framing included."""
    total = REPLY_PRIMING_TOKENS
    for message in messages:
        total += message_tokens(message)
    return total


def message_tokens(message: Mapping[str, object]) -> int:
    """Estimated size of one chat message, its framing included."""
    return MESSAGE_OVERHEAD_TOKENS + count_tokens(str(message.get("content") or ""))


def trim_history(messages: Sequence[ChatMessage], budget: int) -> list[ChatMessage]:
    """The messages to send so that the prompt stays within ``budget`` tokens.

    Contract:
    * every ``system`` message is kept, in place (they carry the instructions and facts);
    * of the other messages, the latest ones are kept, newest first, until the next older
      one would exceed the budget; no gaps are left in the kept history;
    * the newest message is always kept, even alone over budget: without it the model has
      nothing to answer (the caller decides whether to refuse an over-long question);
    * a kept history does not start with an ``assistant`` message whose question was
      trimmed away, as a reply without its question misleads the model.
    The input is not modified; the result is a new list of the same dict objects.
    """
    system = [i for i, m in enumerate(messages) if m.get("role") == "system"]
    turns = [i for i, m in enumerate(messages) if m.get("role") != "system"]
    used = REPLY_PRIMING_TOKENS + sum(message_tokens(messages[i]) for i in system)

    kept: list[int] = []
    for index in reversed(turns):
        cost = message_tokens(messages[index])
        if kept and used + cost > budget:
            break
        kept.append(index)
        used += cost
    kept.reverse()
    if len(kept) < len(turns):
        while len(kept) > 1 and messages[kept[0]].get("role") == "assistant":
            kept.pop(0)

    return [messages[i] for i in sorted([*system, *kept])]
