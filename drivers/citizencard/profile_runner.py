"""Runs a card profile's steps on an open card and decodes the fields.

Detection tries each profile's first step (the SELECT of its application): a card without that
application answers "not found" and the next profile is tried. Once a profile's application is there,
every error is the card's answer, typed.
"""

from __future__ import annotations

from collections.abc import Sequence

from drivers.citizencard import apdu
from drivers.citizencard.auth import Authenticator, AuthRequest, external_authenticate
from drivers.citizencard.channel import CardChannel, Deadline, exchange
from drivers.citizencard.decoders import DECODERS, FieldValue, parse_simple_tlv
from drivers.citizencard.errors import (
    CardFileNotFound,
    CardProtocolError,
    SecurityModuleRequired,
    StatusWordError,
    UnknownCard,
)
from drivers.citizencard.models import AuthMethod, CitizenCard
from drivers.citizencard.profiles import FieldSpec, Profile, Step

# Answers to a SELECT that mean "no such application here" rather than a faulty card.
_NOT_THIS_APPLICATION = frozenset({0x6A82, 0x6A81, 0x6A86, 0x6D00, 0x6E00})


def decode_field(spec: FieldSpec, data: bytes, tlv: dict[int, bytes] | None) -> FieldValue | None:
    """The field's value from a step's answer; None for a missing optional field."""
    if spec.tag is not None:
        assert tlv is not None
        raw = tlv.get(spec.tag)
        if raw is None:
            if spec.optional:
                return None
            raise CardProtocolError(f"field {spec.name}: tag {spec.tag:02X} missing from the answer")
    else:
        end = len(data) if spec.length is None else spec.offset + spec.length
        if end > len(data):
            if spec.optional:
                return None
            raise CardProtocolError(f"field {spec.name}: answer has {len(data)} bytes, needs {end}")
        raw = data[spec.offset : end]
    try:
        value = DECODERS[spec.decoder](raw)
    except CardProtocolError as exc:
        raise CardProtocolError(f"field {spec.name}: {exc}") from exc
    if spec.trim_left and isinstance(value, str):
        value = value[spec.trim_left :]
    return value


class _Run:
    def __init__(self, channel: CardChannel, profile: Profile, authenticator: Authenticator | None,
                 deadline: Deadline) -> None:
        self.channel = channel
        self.profile = profile
        self.authenticator = authenticator
        self.deadline = deadline
        self.values: dict[str, FieldValue] = {}
        self.auth = AuthMethod.NONE

    def step(self, step: Step) -> None:
        if step.op == "authenticate":
            self.authenticate(step)
            return
        assert step.command is not None
        response = apdu.check(exchange(self.channel, step.command, self.deadline), step.label)
        tlv = parse_simple_tlv(response.data) if any(f.tag is not None for f in step.fields) else None
        for spec in step.fields:
            value = decode_field(spec, response.data, tlv)
            if value is not None and not (spec.optional and value == ""):
                self.values[spec.name] = value

    def authenticate(self, step: Step) -> None:
        if step.when_field and str(self.values.get(step.when_field, "")) not in step.when_in:
            return
        if self.authenticator is None:
            raise SecurityModuleRequired(
                f"profile {self.profile.name}: this card needs external authentication with {step.key} "
                "(PSAM or online key service), and none is configured"
            )
        diversifier = b""
        if step.diversifier_field:
            try:
                diversifier = apdu.parse_hex(str(self.values.get(step.diversifier_field, "")))
            except ValueError as exc:
                raise CardProtocolError(f"diversifier field {step.diversifier_field} is not hex") from exc
        request = AuthRequest(step.key, step.key_ref, diversifier, self.channel.atr)
        external_authenticate(self.channel, self.authenticator, request, self.deadline)
        self.auth = self.authenticator.method

    def sections(self, *, first_step_done: bool) -> None:
        for index, section in enumerate(self.profile.sections):
            for position, step in enumerate(section.steps):
                if index == 0 and position == 0 and first_step_done:
                    continue
                try:
                    self.step(step)
                except CardFileNotFound:
                    if position == 0 and not section.required:
                        break  # the card lacks this optional application
                    if step.optional:
                        continue
                    raise


def read_card(
    channel: CardChannel,
    profiles: Sequence[Profile],
    *,
    reader: str,
    authenticator: Authenticator | None,
    deadline: Deadline,
) -> CitizenCard:
    """Detects the card among `profiles` (in order) and reads it with the first one that fits."""
    for profile in profiles:
        run = _Run(channel, profile, authenticator, deadline)
        try:
            run.step(profile.sections[0].steps[0])
        except StatusWordError as exc:
            if exc.sw in _NOT_THIS_APPLICATION:
                continue
            raise
        run.sections(first_step_done=True)
        return CitizenCard(
            kind=profile.kind,
            profile=profile.name,
            reader=reader,
            atr=channel.atr.hex(" ").upper(),
            fields=run.values,
            auth=run.auth,
        )
    names = ", ".join(p.name for p in profiles)
    raise UnknownCard(f"no profile fits the card (tried {names})")
