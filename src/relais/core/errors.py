"""Errors that services raise for the user to read."""

from django.core.exceptions import ValidationError


class ApplicationError(ValidationError):
    """A rule of the domain was broken: the message is translated and shown as is.

    It is a ValidationError so that forms can attach it to a field or to the form.
    """
