"""Checks of Moroccan identifiers and phone numbers, with messages for the user."""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# The national identity card number: one or two letters, then up to six digits
# ("A123456", "BK123456"); older cards have fewer digits.
CIN_PATTERN = re.compile(r"^[A-Z]{1,2}[0-9]{1,6}$")
SPACES = re.compile(r"\s+")


# Codes of things that name files (a session's code names its sign-in sheets and
# certificate archives): unaccented letters, digits, dash, underscore and dot.
validate_code = RegexValidator(
    r"\A[A-Za-z0-9._-]+\Z",
    message=_(
        "A code may hold only unaccented letters, digits, dashes (-), underscores "
        "(_) and dots (.), for example REL-09-01."
    ),
    code="invalid_code",
)


def normalise_cin(value: str) -> str:
    """Upper-case, without spaces; raises ValidationError when it is not a CIN."""
    if CIN_PATTERN.match(value):
        return value
    cin = SPACES.sub("", value or "").upper()
    if not CIN_PATTERN.match(cin):
        raise ValidationError(
            _(
                "“%(value)s” is not a valid CIN: one or two letters followed by "
                "up to six digits, for example BK123456."
            ),
            code="invalid_cin",
            params={"value": value},
        )
    return cin


def _moroccan_numbers() -> re.Pattern:
    """The Moroccan numbers that phonenumbers counts as valid, as Moroccans
    write them (06…, +2126…, 002126…), in one pattern: the same answer as its
    full parse in a microsecond, not a hundred, which an import of 500,000
    phones needs. The nine digits after the prefix are the group "number"."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region("MA")
    kinds = (
        "fixed_line",
        "mobile",
        "toll_free",
        "premium_rate",
        "shared_cost",
        "personal_number",
        "voip",
        "pager",
        "uan",
        "voicemail",
    )
    patterns = [
        description.national_number_pattern
        for description in (getattr(metadata, kind, None) for kind in kinds)
        if description is not None and description.national_number_pattern
    ]
    numbers = "|".join(f"(?:{p})" for p in patterns)
    return re.compile(rf"(?:\+212|00212|0)(?P<number>{numbers})")


MOROCCAN_NUMBER = _moroccan_numbers()
# What people put between the digits: spaces, dots, dashes, brackets.
PHONE_SEPARATORS = re.compile(r"[\s.\-()/]")


def normalise_phone(value: str) -> str:
    """A Moroccan number in E.164 form (+212…); raises ValidationError otherwise."""
    written = MOROCCAN_NUMBER.fullmatch(value) or MOROCCAN_NUMBER.fullmatch(
        PHONE_SEPARATORS.sub("", value or "")
    )
    if written:
        return "+212" + written["number"]
    try:
        number = phonenumbers.parse(value, "MA")
    except phonenumbers.NumberParseException:
        number = None
    if (
        number is None
        or number.country_code != 212
        or not phonenumbers.is_valid_number(number)
    ):
        raise ValidationError(
            _(
                "“%(value)s” is not a valid Moroccan phone number, for example "
                "0612345678 or +212 5 37 12 34 56."
            ),
            code="invalid_phone",
            params={"value": value},
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """The number as Moroccans write it: 06 12 34 56 78."""
    if not e164:
        return ""
    number = phonenumbers.parse(e164, "MA")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
