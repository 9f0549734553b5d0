"""`__in` on integer columns that tolerates numbers no column can hold.

Django answers `=`, `<` and `>` with a number beyond an integer column's range
as what it is (nothing matches, or everything), but sends `__in` lists as they
are, and SQLite then fails to send a number over 2**63 at all. A form field
that picks objects by number (a service's needs, say) would turn "999…9"
typed in a request into a server error. Such numbers match no row: they are
left out of the list.
"""

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)
