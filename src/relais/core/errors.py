"""Errors that services raise for the user to read."""

from django.core.exceptions import ValidationError


class ApplicationError(ValidationError):
    """A rule of the domain was broken: the message is translated and shown as is.

    It is a ValidationError so that forms can attach it to a field or to the form.
    """


def require(condition: bool, message) -> None:
    """Refuse, with `message` for the user, unless `condition` holds."""
    if not condition:
        raise ApplicationError(message)


def full_clean(obj) -> None:
    """A model's own checks, as the user's errors field by field."""
    try:
        obj.full_clean()
    except ValidationError as error:
        raise ApplicationError(error.message_dict) from error
