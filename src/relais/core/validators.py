"""Checks of Moroccan identifiers and phone numbers, with messages for the user."""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# The national identity card number: one or two letters, then up to six digits
# ("A123456", "BK123456"); older cards have fewer digits.
CIN_PATTERN = re.compile(r"^[A-Z]{1,2}[0-9]{1,6}$")


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
    cin = re.sub(r"\s+", "", value or "").upper()
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


def normalise_phone(value: str) -> str:
    """A Moroccan number in E.164 form (+212…); raises ValidationError otherwise."""
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
