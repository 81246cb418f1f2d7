"""Card profiles: the APDU steps that read a kind of card and how each field is decoded, loaded from TOML.

A profile is data so that a technician can add a city's card without code (docs/devices/citizencard.md
describes the format). Loading validates every key and names the file and key in the error, so a typo
is found at start-up, not when a resident's card is in the slot.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drivers.citizencard import apdu
from drivers.citizencard.decoders import DECODERS
from drivers.citizencard.errors import ProfileInvalid
from drivers.citizencard.models import CardKind

PROFILE_DIR = Path(__file__).with_name("profiles")

OPS = ("select", "read_record", "read_binary", "apdu", "authenticate")
# How the CLI and screens mask a field: id = keep 6+4, name = keep the last character(s), tail4 = keep
# the last 4, all = mask everything, none = not personal.
MASKS = ("none", "all", "id", "name", "tail4")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    decoder: str
    tag: int | None = None  # the value of this TLV tag in the answer
    offset: int = 0  # else a slice of the answer
    length: int | None = None
    trim_left: int = 0  # characters dropped from the decoded text (e.g. T-Union's leading nibble)
    optional: bool = False
    mask: str = "all"


@dataclass(frozen=True)
class Step:
    op: str
    label: str
    command: apdu.Command | None = None
    fields: tuple[FieldSpec, ...] = ()
    optional: bool = False  # 6A82/6A83 skips the step (a record some cards lack)
    # authenticate
    key: str = ""
    key_ref: int = 0
    diversifier_field: str = ""
    when_field: str = ""
    when_in: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    """Steps that stand or fall together. An optional section whose first step finds no application is skipped."""

    name: str
    required: bool
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    kind: CardKind
    priority: int
    sections: tuple[Section, ...]
    path: Path

    @property
    def field_specs(self) -> dict[str, FieldSpec]:
        return {f.name: f for s in self.sections for step in s.steps for f in step.fields}


class _Reader:
    """Typed access to one TOML table, raising ProfileInvalid that names the file and the key."""

    def __init__(self, table: dict[str, Any], where: str) -> None:
        self.table = table
        self.where = where
        self.used: set[str] = set()

    def fail(self, key: str, problem: str) -> ProfileInvalid:
        return ProfileInvalid(f"{self.where}.{key}: {problem}")

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = None, *, required: bool = False) -> Any:
        self.used.add(key)
        if key not in self.table:
            if required:
                raise self.fail(key, "missing")
            return default
        value = self.table[key]
        # bool is an int in Python; a `true` where a number belongs is still a mistake.
        if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _as_tuple(kind)):
            raise self.fail(key, f"expected {_kind_name(kind)}, got {type(value).__name__}")
        return value

    def byte(self, key: str, default: int | None = None, *, required: bool = False, upper: int = 0xFF) -> int | None:
        value = self.get(key, int, default, required=required)
        if value is not None and not 0 <= value <= upper:
            raise self.fail(key, f"must be 0..{upper}")
        return value  # type: ignore[no-any-return]

    def finish(self) -> None:
        unknown = sorted(set(self.table) - self.used)
        if unknown:
            raise self.fail(unknown[0], "unknown key")


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _kind_name(kind: type | tuple[type, ...]) -> str:
    return " or ".join(k.__name__ for k in _as_tuple(kind))


def _hex(r: _Reader, key: str, *, required: bool = False) -> bytes | None:
    text = r.get(key, str, required=required)
    if text is None:
        return None
    try:
        return apdu.parse_hex(text)
    except ValueError as exc:
        raise r.fail(key, "not a hex string") from exc


def _field(table: dict[str, Any], where: str) -> FieldSpec:
    r = _Reader(table, where)
    name = r.get("name", str, required=True)
    decoder = r.get("decoder", str, required=True)
    if decoder not in DECODERS:
        raise r.fail("decoder", f"unknown decoder {decoder!r}; known: {', '.join(sorted(DECODERS))}")
    mask = r.get("mask", str, "all")
    if mask not in MASKS:
        raise r.fail("mask", f"must be one of {', '.join(MASKS)}")
    spec = FieldSpec(
        name=name,
        decoder=decoder,
        tag=r.byte("tag"),
        offset=r.get("offset", int, 0),
        length=r.get("length", int),
        trim_left=r.get("trim_left", int, 0),
        optional=r.get("optional", bool, False),
        mask=mask,
    )
    if spec.tag is not None and ("offset" in table or "length" in table):
        raise r.fail("tag", "a field is either a TLV tag or an offset/length slice, not both")
    r.finish()
    return spec


def _step(table: dict[str, Any], where: str) -> Step:
    r = _Reader(table, where)
    op = r.get("op", str, required=True)
    if op not in OPS:
        raise r.fail("op", f"must be one of {', '.join(OPS)}")
    optional = r.get("optional", bool, False)
    fields = tuple(_field(f, f"{where}.fields[{i}]") for i, f in enumerate(r.get("fields", list, [])))
    if op == "authenticate":
        when = r.get("when", dict, {})
        wr = _Reader(when, f"{where}.when")
        when_field = wr.get("field", str, "")
        when_in = tuple(wr.get("in", list, []))
        wr.finish()
        if fields:
            raise r.fail("fields", "an authenticate step reads no fields")
        step = Step(
            op=op,
            label="EXTERNAL AUTHENTICATE",
            key=r.get("key", str, required=True),
            key_ref=r.byte("key_ref", 0) or 0,
            diversifier_field=r.get("diversifier_field", str, ""),
            when_field=when_field,
            when_in=tuple(str(v) for v in when_in),
            optional=optional,
        )
        r.finish()
        return step
    command, label = _command(op, r)
    r.finish()
    return Step(op=op, label=label, command=command, fields=fields, optional=optional)


def _command(op: str, r: _Reader) -> tuple[apdu.Command, str]:
    try:
        if op == "select":
            name = r.get("name", str)
            aid = _hex(r, "aid")
            fid = _hex(r, "fid")
            p2 = r.byte("p2", 0x00) or 0
            if sum(x is not None for x in (name, aid, fid)) != 1:
                raise r.fail("op", "select needs exactly one of name, aid, fid")
            if name is not None:
                encoding = r.get("encoding", str, "gbk")
                try:
                    return apdu.select_by_name(name.encode(encoding), p2=p2), f"SELECT {name}"
                except (LookupError, UnicodeEncodeError) as exc:
                    raise r.fail("encoding", f"cannot encode the name as {encoding}") from exc
            if aid is not None:
                return apdu.select_by_name(aid, p2=p2), f"SELECT {aid.hex().upper()}"
            assert fid is not None
            if len(fid) != 2:
                raise r.fail("fid", "a file identifier has 2 bytes")
            p1 = r.byte("p1", 0x02) or 0
            return apdu.select_fid(int.from_bytes(fid, "big"), p1=p1, p2=p2), f"SELECT {fid.hex().upper()}"
        if op == "read_record":
            record = r.byte("record", required=True) or 0
            mode = r.get("mode", str, "number")
            sfi = r.byte("sfi", upper=30)
            le = r.byte("le", 0, upper=256) or 0
            return apdu.read_record(record, mode=mode, sfi=sfi, le=le), f"READ RECORD {record:02X}"
        if op == "read_binary":
            sfi = r.byte("sfi", upper=30)
            offset = r.get("offset", int, 0)
            le = r.byte("le", 0, upper=256) or 0
            label = f"READ BINARY SFI {sfi:02X}" if sfi is not None else f"READ BINARY {offset}"
            return apdu.read_binary(offset=offset, sfi=sfi, le=le), label
        raw = _hex(r, "command", required=True)
        assert raw is not None
        label = r.get("label", str, f"APDU {raw[:4].hex().upper()}")
        return apdu.Command.from_bytes(raw), label
    except ValueError as exc:
        raise r.fail("op", str(exc)) from exc


def parse_profile(data: dict[str, Any], path: Path) -> Profile:
    where = path.name
    r = _Reader(data, where)
    kind_text = r.get("kind", str, required=True)
    try:
        kind = CardKind(kind_text)
    except ValueError as exc:
        raise r.fail("kind", f"must be one of {', '.join(k.value for k in CardKind)}") from exc
    sections = []
    for i, table in enumerate(r.get("sections", list, required=True)):
        sr = _Reader(table, f"{where}.sections[{i}]")
        steps = tuple(_step(s, f"{sr.where}.steps[{j}]") for j, s in enumerate(sr.get("steps", list, required=True)))
        if not steps:
            raise sr.fail("steps", "a section needs at least one step")
        sections.append(Section(sr.get("name", str, f"section{i}"), sr.get("required", bool, True), steps))
        sr.finish()
    if not sections:
        raise r.fail("sections", "a profile needs at least one section")
    profile = Profile(
        name=r.get("name", str, path.stem),
        title=r.get("title", str, path.stem),
        kind=kind,
        priority=r.get("priority", int, 0),
        sections=tuple(sections),
        path=path,
    )
    r.finish()
    return profile


def load_profile_file(path: Path) -> Profile:
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except OSError as exc:
        raise ProfileInvalid(f"{path}: cannot read ({exc.strerror})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ProfileInvalid(f"{path.name}: {exc}") from exc
    return parse_profile(data, path)


def shipped_profiles(directory: Path = PROFILE_DIR) -> list[Profile]:
    """Every profile in `directory`, highest priority first (detection tries them in this order)."""
    profiles = [load_profile_file(p) for p in sorted(directory.glob("*.toml"))]
    return sorted(profiles, key=lambda p: (-p.priority, p.name))


def resolve_profiles(selector: str = "", directory: Path = PROFILE_DIR) -> list[Profile]:
    """The profiles to try: all shipped ones for "" (detect), one by name, or one from a .toml path."""
    if not selector:
        return shipped_profiles(directory)
    if selector.endswith(".toml") or "/" in selector:
        return [load_profile_file(Path(selector))]
    for profile in shipped_profiles(directory):
        if profile.name == selector:
            return [profile]
    known = ", ".join(p.name for p in shipped_profiles(directory))
    raise ProfileInvalid(f"no card profile named {selector!r}; shipped profiles: {known}")
