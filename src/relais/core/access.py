"""The one shape of every policy: which rows a user may read, and what they may do.

Each app has a policy per thing it guards (SessionPolicy, ReferralPolicy, …):

- `readable(user) -> Q`: the rows the user may read, as a filter that lists,
  selectors and exports apply. Anything outside it is a 404.
- `can(user, action, obj) -> bool`: whether the user may do `action` to `obj`.
  Pages ask it to offer or hide a button; `action` is a key of the policy's
  `actions`, and an unknown one is a programming error, not a refusal.
- `require(user, action, obj)`: what services call before they write. It refuses
  with the policy's message for that action, which the user reads.
- `where(user, action) -> Q`: the rows on which the user may do `action`, for
  writes made a set at a time (imports, bulk records). Only actions that need it
  have one.

Pages, imports and any future API call the same services, so a rule written in a
policy holds on every path.
"""

from django.db.models import Q

from .errors import ApplicationError


class Policy:
    """Subclasses set `actions` and write one `_can_<action>(user, obj)` each, and
    `_where_<action>(user)` for the actions done a set at a time."""

    # The actions `can` answers for, each with the message a refusal shows.
    actions: dict[str, str] = {}

    @classmethod
    def readable(cls, user) -> Q:
        raise NotImplementedError(f"{cls.__name__} guards no rows to read")

    @classmethod
    def can(cls, user, action: str, obj=None) -> bool:
        if action not in cls.actions:
            # A typo in a caller must fail loudly, not read as a refusal.
            raise ValueError(f"{cls.__name__} knows no action {action!r}")
        return getattr(cls, f"_can_{action}")(user, obj)

    @classmethod
    def require(cls, user, action: str, obj=None) -> None:
        """Refuse, with the action's message for the user, unless `can` holds."""
        if not cls.can(user, action, obj):
            raise ApplicationError(cls.actions[action])

    @classmethod
    def where(cls, user, action: str) -> Q:
        if action not in cls.actions:
            raise ValueError(f"{cls.__name__} knows no action {action!r}")
        return getattr(cls, f"_where_{action}")(user)
