"""The emulator's shared parameter readers (emulator/params.py) and its freshness checks (emulator/freshness.py).

Every reader is driven with the bad values a hostile or broken client sends; each must come back as
the error factory's fault naming the parameter, never as another exception.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from pulumi_relaytask.core import timefmt
from pulumi_relaytask.emulator import params
from pulumi_relaytask.emulator.freshness import NonceMemory, is_fresh
from pulumi_relaytask.errors import ApiFault

SOURCE = ("http", "https", "rtmp", "rtmps", "rtsp", "srt")
RULE = "must be an RFC 3339 time"


class Refused(ApiFault):
    pass


def refuse(field: str, rule: str) -> ApiFault:
    return Refused(400, "Test.Invalid", f"{field}: {rule}")


def refusal(call: Any) -> str:
    """The message of the fault `call` raises; it must be the factory's own."""
    with pytest.raises(Refused) as caught:
        call()
    return caught.value.message


# -- request bodies ------------------------------------------------------------------------------


def test_json_object_reads_an_object() -> None:
    assert params.json_object(b'{"a": 1, "b": [true, null]}', refuse) == {"a": 1, "b": [True, None]}


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"not json",
        b"\xff\xfe",
        b"[1, 2]",
        b'"text"',
        b"3",
        b"null",
        b"[" * 100_000 + b"]" * 100_000,  # deeper than the parser's recursion limit
        b'{"a": ' * 50_000 + b"1" + b"}" * 50_000,
    ],
    ids=["empty", "not json", "bad utf-8", "array", "string", "number", "null", "deep array", "deep object"],
)
def test_json_object_refuses_anything_else_as_body(raw: bytes) -> None:
    assert refusal(lambda: params.json_object(raw, refuse)).startswith("body:")


def test_json_object_refuses_a_key_sent_twice_by_its_name() -> None:
    assert refusal(lambda: params.json_object(b'{"task_id": "a", "task_id": "b"}', refuse)).startswith("task_id:")


def test_json_integers_of_thousands_of_digits_become_floats_the_readers_refuse() -> None:
    document = params.json_object(b'{"n": ' + b"9" * 5000 + b', "m": -' + b"9" * 5000 + b"}", refuse)
    assert refusal(lambda: params.integer(document, "n", 0, 10, refuse)) == "n: must be an integer"
    assert refusal(lambda: params.integer(document, "m", 0, 10, refuse)) == "m: must be an integer"


def test_json_nan_and_infinity_are_refused_by_the_readers() -> None:
    document = params.json_object(b'{"a": NaN, "b": Infinity, "c": -Infinity}', refuse)
    for name in "abc":
        assert refusal(lambda name=name: params.integer(document, name, 0, 10, refuse)).startswith(f"{name}:")
        assert refusal(lambda name=name: params.string(document, name, refuse)).startswith(f"{name}:")


def test_unique_pairs() -> None:
    assert params.unique_pairs([("a", "1"), ("b", "2"), ("a", "1")], refuse) == {"a": "1", "b": "2"}
    assert refusal(lambda: params.unique_pairs([("a", "1"), ("a", "2")], refuse)) == "a: is sent more than once"


# -- scalars -------------------------------------------------------------------------------------


def test_string() -> None:
    source = {"s": "text", "empty": "", "none": None}
    assert params.string(source, "s", refuse) == "text"
    assert params.string(source, "missing", refuse) is None
    assert params.string(source, "none", refuse) is None
    assert params.string(source, "empty", refuse) is None
    assert params.string(source, "empty", refuse, keep_empty=True) == ""
    assert params.string(source, "s", refuse, max_len=4) == "text"
    assert refusal(lambda: params.string(source, "s", refuse, max_len=3)).startswith("s: must be at most 3")


@pytest.mark.parametrize("value", [["a"], {"a": 1}, 1, 1.5, True, float("nan")])
def test_string_refuses_other_json_types(value: Any) -> None:
    assert refusal(lambda: params.string({"s": value}, "s", refuse)) == "s: must be a string"


def test_string_refuses_lone_surrogates() -> None:
    document = params.json_object(b'{"s": "a\\ud800b"}', refuse)
    assert refusal(lambda: params.string(document, "s", refuse)) == "s: must be valid Unicode text"
    listed = params.json_object(b'{"l": ["\\udfff"]}', refuse)
    assert refusal(lambda: params.string_list(listed, "l", refuse)).startswith("l:")


def test_enum() -> None:
    source = {"e": "on", "empty": ""}
    assert params.enum(source, "e", ("on", "off"), refuse) == "on"
    assert params.enum(source, "empty", ("on",), refuse) is None
    assert params.enum(source, "empty", ("on",), refuse, keep_empty=True) == ""
    message = refusal(lambda: params.enum({"e": "x" * 1000}, "e", ("on", "off"), refuse))
    assert message.startswith("e: must be one of on, off") and len(message) < 200  # the value is shortened
    assert refusal(lambda: params.enum({"e": ["on"]}, "e", ("on",), refuse)) == "e: must be a string"


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (True, "must be an integer"),
        (False, "must be an integer"),
        (1.0, "must be an integer"),
        ("3", "must be an integer"),
        ([3], "must be an integer"),
        (-1, "between 0 and 10"),
        (11, "between 0 and 10"),
    ],
)
def test_integer_refuses_bools_floats_strings_and_out_of_range(value: Any, fragment: str) -> None:
    message = refusal(lambda: params.integer({"n": value}, "n", 0, 10, refuse))
    assert message.startswith("n:") and fragment in message


def test_integer_accepts_the_bounds() -> None:
    assert [params.integer({"n": n}, "n", 0, 10, refuse) for n in (0, 10)] == [0, 10]
    assert params.integer({}, "n", 0, 10, refuse) is None


@pytest.mark.parametrize(
    ("text", "expected"), [("0", 0), ("-1", -1), ("2147483647", 2_147_483_647), ("007", 7), ("", None)]
)
def test_integer_text_reads_ascii_decimals(text: str, expected: int | None) -> None:
    assert params.integer_text({"n": text}, "n", -1, 2_147_483_647, refuse) == expected


@pytest.mark.parametrize(
    "text",
    [
        "٣",
        "³",
        "\uff11",
        " 3",
        "3 ",
        "+3",
        "3_0",
        "0x1",
        "1e3",
        "3.0",
        "--1",
        "-",
        "9" * 5000,
        "-" + "9" * 5000,
        "9" * 20,
    ],
    ids=lambda text: repr(text[:12]),
)
def test_integer_text_refuses_everything_else_by_name(text: str) -> None:
    message = refusal(lambda: params.integer_text({"n": text}, "n", 0, 100, refuse))
    assert message.startswith("n:") and len(message) < 200


def test_parse_decimal() -> None:
    assert params.parse_decimal("-12") == -12
    assert params.parse_decimal("9" * 19) == int("9" * 19)
    assert [params.parse_decimal(text) for text in ("9" * 20, "٣", "1_0", "", " 1")] == [None] * 5


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-22T10:00:00+25:00",
        "2026-11-22T10:00:00+99:99",
        "2026-11-22T10:00:00-24:00",
        "2026-13-01T00:00:00Z",
        "9999-12-31T23:59:59-01:00",  # past year 9999 in UTC
        "0001-01-01T00:00:00+01:00",  # before year 1 in UTC
        "٢٠٢٦-11-22T10:00:00Z",
        "2026-11-22",
        "2026-11-22T10:00:00",
        "x" * 10_000,
    ],
)
def test_time_value_refuses_impossible_times_by_name(text: str) -> None:
    message = refusal(lambda: params.time_value({"t": text}, "t", refuse, timefmt.parse_rfc3339, RULE))
    assert message.startswith(f"t: {RULE}, got") and len(message) < 200


def test_time_value_reads_offsets_and_treats_empty_as_absent() -> None:
    read = params.time_value({"t": "2026-11-22T10:00:00+08:00"}, "t", refuse, timefmt.parse_rfc3339, RULE)
    assert read == datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
    assert params.time_value({"t": ""}, "t", refuse, timefmt.parse_rfc3339, RULE) is None


@pytest.mark.parametrize("value", ["rtmp://a", ["a", ""], ["a", 1], [["a"]], {"a": "b"}])
def test_string_list_refuses_non_lists_and_bad_items(value: Any) -> None:
    assert refusal(lambda: params.string_list({"l": value}, "l", refuse)).startswith("l: must be a list")


def test_string_list_counts_items() -> None:
    assert params.string_list({"l": ["a", "b"]}, "l", refuse, max_items=2) == ["a", "b"]
    assert refusal(lambda: params.string_list({"l": ["a", "b", "c"]}, "l", refuse, max_items=2)).startswith("l:")


# -- URLs ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "rtmp://origin.example.com/live/s",
        "RTMP://Origin.Example.com:1935/live/s?key=1",
        "srt://203.0.113.5:9000?streamid=a",
        "http://[2001:db8::1]:8080/a.flv",
        "https://user:pass@vod.example.com/a.mp4#t=10",
        "rtsp://cam/stream",
    ],
)
def test_check_url_accepts_full_urls_of_the_schemes(url: str) -> None:
    assert params.check_url(url, "u", refuse, schemes=SOURCE, max_len=2048) == url


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("ftp://vod.example.com/a.mp4", "scheme"),
        ("javascript:alert(1)", "scheme"),
        ("vod.example.com/a.mp4", "scheme"),
        ("rtmp:/origin/live", "scheme"),
        ("rtmp:///live/s", "scheme"),
        ("rtmp://:1935/live/s", "scheme"),
        ("http://[::1/a", "well-formed"),
        ("http://[zz]/a", "well-formed"),
        ("http://a[b/a", "well-formed"),
        ("rtmp://origin.example.com:99999/a", "well-formed"),
        ("rtmp://origin.example.com:port/a", "well-formed"),
        ("rtmp://origin.example.com/a b", "printable ASCII"),
        ("rtmp://origin.example.com/a\tb", "printable ASCII"),
        ("rtmp://origin.example.com/a\x00", "printable ASCII"),
        ("rtmp://origin.exämple.com/a", "printable ASCII"),
        ("rtmp://origin.example.com:٣/a", "printable ASCII"),
        ("rtmp://origin.example.com/" + "x" * 2023, "at most 2048"),
    ],
)
def test_check_url_refuses_by_name_without_echoing_the_url(url: str, fragment: str) -> None:
    message = refusal(lambda: params.check_url(url, "u", refuse, schemes=SOURCE, max_len=2048))
    assert message.startswith("u:") and fragment in message
    assert "example" not in message and "exämple" not in message


@pytest.mark.parametrize(
    "url",
    ["callback.example.com", "hahaha.com", "cb:8080", "cb.example.com:8080/hook?x=1&y=%20", "a-b.c9/p#f", "localhost"],
)
def test_scheme_less_callbacks_are_accepted_only_where_allowed(url: str) -> None:
    assert params.check_url(url, "cb", refuse, schemes=("http", "https"), max_len=2048, bare_host=True) == url
    assert refusal(lambda: params.check_url(url, "cb", refuse, schemes=("http", "https"), max_len=2048))


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "ftp://x",
        "-cb.example.com",
        "cb-.example.com",
        "cb..example.com",
        "cb.example.com:123456",
        "cb_x.example.com",
        "data:text/html,x",
        "cb.example.com/a b",
    ],
)
def test_scheme_less_form_is_dns_labels_only(url: str) -> None:
    message = refusal(
        lambda: params.check_url(url, "cb", refuse, schemes=("http", "https"), max_len=2048, bare_host=True)
    )
    assert message.startswith("cb:")


@pytest.mark.parametrize(
    "url",
    [
        "rtmp://a.example.com:1/live/s",
        "rtmp://a.example.com:65535/live/s",
        "rtmp://203.0.113.5/live/s",
        "rtmp://[::1]:1935/live/s",
        "rtmp://a-1.b2.example.com/live/s",
        "rtmp://123/live/s",
    ],
)
def test_check_url_accepts_the_hosts_and_ports_check_accepts(url: str) -> None:
    assert params.check_url(url, "u", refuse, schemes=SOURCE, max_len=2048) == url


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("rtmp://origin.example.com:0/live/s", "port"),
        ("rtmp://origin.example.com:65536/live/s", "well-formed"),
        ("rtmp://origin_x.example.com/live/s", "host"),
        ("rtmp://origin%2e.example.com/live/s", "host"),
        ("rtmp://origin.example.com./live/s", "host"),
        ("rtmp://origin..example.com/live/s", "host"),
        ("rtmp://.example.com/live/s", "host"),
        ("rtmp://-origin.example.com/live/s", "host"),
        ("rtmp://origin-.example.com/live/s", "host"),
        ("rtmp://[example]/live/s", "well-formed"),
    ],
)
def test_check_url_refuses_the_hosts_and_ports_check_refuses(url: str, fragment: str) -> None:
    message = refusal(lambda: params.check_url(url, "u", refuse, schemes=SOURCE, max_len=2048))
    assert message.startswith("u:") and fragment in message and "example" not in message


@pytest.mark.parametrize(("port", "accepted"), [("0", False), ("1", True), ("65535", True), ("65536", False)])
def test_scheme_less_callback_ports_are_1_to_65535(port: str, accepted: bool) -> None:
    url = f"cb.example.com:{port}/hook"

    def check() -> str:
        return params.check_url(url, "cb", refuse, schemes=("http", "https"), max_len=2048, bare_host=True)

    if accepted:
        assert check() == url
    else:
        assert refusal(check).startswith("cb:")


def test_scheme_less_form_needs_no_scheme_separator() -> None:
    # check reads a value holding "://" as a full URL only, whatever precedes it.
    assert refusal(
        lambda: params.check_url("cb:80/x://y", "cb", refuse, schemes=("http", "https"), max_len=2048, bare_host=True)
    ).startswith("cb:")


def test_printable_ascii_and_control_characters() -> None:
    assert params.is_printable_ascii("!~az09") and params.is_printable_ascii("")
    assert not any(params.is_printable_ascii(text) for text in (" ", "\x7f", "é", "\t"))
    assert params.has_control_characters("a\x07") and params.has_control_characters("a\u200bb")  # Cc, Cf
    assert not params.has_control_characters("直播 show — ok")


def test_shown_cuts_long_values() -> None:
    assert params.shown("abc") == "'abc'"
    assert params.shown("x" * 1000).endswith("(1000 characters)") and len(params.shown("x" * 1000)) < 80


# -- freshness and replay ------------------------------------------------------------------------

T0 = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
WINDOW = timedelta(minutes=15)


def test_is_fresh_either_side() -> None:
    assert is_fresh(T0 - WINDOW, T0, WINDOW) and is_fresh(T0 + WINDOW, T0, WINDOW)
    assert not is_fresh(T0 - WINDOW - timedelta(seconds=1), T0, WINDOW)
    assert not is_fresh(T0 + WINDOW + timedelta(seconds=1), T0, WINDOW)


def test_a_nonce_is_refused_while_a_replay_could_pass_the_time_check() -> None:
    memory = NonceMemory(WINDOW)
    assert memory.first_use("ak", "n1", T0, T0)
    assert not memory.first_use("ak", "n1", T0, T0 + timedelta(minutes=14))
    assert memory.first_use("other-ak", "n1", T0, T0)  # per account
    # A request stamped 15 minutes ahead stays replayable until its stamp plus the window.
    ahead = T0 + WINDOW
    assert memory.first_use("ak", "n2", ahead, T0)
    assert not memory.first_use("ak", "n2", ahead, T0 + timedelta(minutes=29))


def test_nonces_are_forgotten_after_the_window() -> None:
    memory = NonceMemory(WINDOW)
    for i in range(1000):
        assert memory.first_use("ak", f"n{i}", T0, T0)
    assert len(memory) == 1000
    later = T0 + WINDOW + timedelta(seconds=1)
    assert memory.first_use("ak", "fresh", later, later)
    assert len(memory) == 1  # the old ones went: the memory holds only the last window


def test_nonce_memory_has_a_hard_bound() -> None:
    memory = NonceMemory(WINDOW, max_entries=10)
    for i in range(50):
        memory.first_use("ak", f"n{i}", T0, T0)
    assert len(memory) == 10


def test_json_parsing_is_unchanged_for_ordinary_documents() -> None:
    document = {"task_id": "t", "n": 12, "f": 0.5, "l": ["a"], "o": {"k": None}}
    assert params.json_object(json.dumps(document).encode(), refuse) == document


def test_utc_times_read_back_at_both_ends_of_the_calendar() -> None:
    # strftime writes year 1 as "1"; the APIs' form has four digits, and what is written must parse.
    for when in (datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)):
        text = timefmt.format_utc(when)
        assert len(text) == 20 and timefmt.parse_rfc3339(text) == when
