"""Offline token estimates and history trimming."""

from agents.llm.tokens import (
    MESSAGE_OVERHEAD_TOKENS,
    REPLY_PRIMING_TOKENS,
    count_message_tokens,
    count_tokens,
    message_tokens,
    trim_history,
)


def test_count_tokens_follows_the_shape_of_bpe():
    assert count_tokens("") == 0
    assert count_tokens("hello") == 1
    assert count_tokens("hello world") == 2
    assert count_tokens("Hello, world!") == 4
    assert count_tokens("internationalization") == 5
    assert count_tokens("2026") == 2
    assert count_tokens("日本語") == 3


def test_prose_is_roughly_four_characters_per_token():
    prose = (
        "DevCrew matches developers to projects, forms balanced teams and plans the work. "
        "People talk to AI assistants and to each other in real time, and every message is saved."
    ) * 5
    estimate = count_tokens(prose)
    assert len(prose) / 6 < estimate < len(prose) / 3


def test_message_tokens_include_the_chat_framing():
    messages = [{"role": "user", "content": "hello world"}]
    assert message_tokens(messages[0]) == MESSAGE_OVERHEAD_TOKENS + 2
    assert count_message_tokens(messages) == REPLY_PRIMING_TOKENS + MESSAGE_OVERHEAD_TOKENS + 2


def conversation(turns: int) -> list[dict]:
    messages = [{"role": "system", "content": "You are DevCrew's assistant. Be brief."}]
    for i in range(turns):
        messages.append({"role": "user", "content": f"question {i} " + "word " * 20})
        messages.append({"role": "assistant", "content": f"answer {i} " + "word " * 20})
    return messages


def test_trim_history_keeps_the_system_prompt_and_the_latest_turns_within_budget():
    messages = conversation(10)
    budget = 200

    kept = trim_history(messages, budget)

    assert kept[0] == messages[0]
    assert kept[-1] == messages[-1]
    assert count_message_tokens(kept) <= budget
    assert len(kept) < len(messages)
    assert kept[1:] == messages[-(len(kept) - 1) :]  # the newest turns, without gaps
    assert kept[1]["role"] == "user"


def test_trim_history_adding_any_older_message_would_exceed_the_budget():
    messages = conversation(10)
    kept = trim_history(messages, 200)
    one_more = [messages[0], *messages[-len(kept) :]]
    assert count_message_tokens(one_more) > 200


def test_trim_history_keeps_everything_that_fits():
    messages = conversation(2)
    assert trim_history(messages, 10_000) == messages


def test_trim_history_always_keeps_the_newest_message():
    messages = [{"role": "system", "content": "Rules."}, {"role": "user", "content": "word " * 500}]
    assert trim_history(messages, 50) == messages


def test_trim_history_keeps_system_messages_wherever_they_are():
    messages = [
        {"role": "system", "content": "Rules."},
        {"role": "user", "content": "old " * 100},
        {"role": "assistant", "content": "old " * 100},
        {"role": "system", "content": "Facts."},
        {"role": "user", "content": "new question"},
    ]
    kept = trim_history(messages, 60)
    assert kept == [messages[0], messages[3], messages[4]]


def test_trim_history_does_not_modify_its_input():
    messages = conversation(5)
    snapshot = [dict(m) for m in messages]
    trim_history(messages, 50)
    assert messages == snapshot
