"""ImportPolicy in the one shape of relais.core.access."""

import pytest

from relais.core.errors import ApplicationError
from relais.imports.models import ImportJob
from relais.imports.policies import ImportPolicy

pytestmark = pytest.mark.django_db


def test_who_imports_which_kind_of_file(world):
    manager = world.manager_agadir
    assert ImportPolicy.can(manager, "use")
    assert not ImportPolicy.can(world.trainer_agadir, "use")
    assert ImportPolicy.can(manager, "import_people", world.centre_agadir)
    assert not ImportPolicy.can(manager, "import_people", world.centre_oujda)
    assert not ImportPolicy.can(manager, "import_people", None)
    # Records of sessions: session managers, whose reach each row is checked in.
    assert not ImportPolicy.can(manager, "import_records")
    assert ImportPolicy.can(world.coord_souss, "import_records")
    assert ImportPolicy.action_for(ImportJob.Kind.PEOPLE) == "import_people"
    assert ImportPolicy.action_for(ImportJob.Kind.SCORES) == "import_records"
    with pytest.raises(ApplicationError) as refused:
        ImportPolicy.require(manager, "import_records")
    assert refused.value.messages == [str(ImportPolicy.actions["import_records"])]


def test_an_import_is_read_by_its_author_and_within_scope_its_report_by_the_author(
    world,
):
    job = ImportJob.objects.create(
        kind=ImportJob.Kind.PEOPLE,
        created_by=world.manager_agadir,
        organisation=world.centre_agadir,
        original_name="f.csv",
        territory_path=world.centre_agadir.territory_path,
        organisation_path=world.centre_agadir.path,
    )
    readers = [
        user
        for user in (world.manager_agadir, world.coord_souss, world.coord_oriental)
        if ImportJob.objects.filter(ImportPolicy.readable(user), pk=job.pk).exists()
    ]
    assert readers == [world.manager_agadir, world.coord_souss]
    assert ImportPolicy.can(world.manager_agadir, "read_report", job)
    assert not ImportPolicy.can(world.coord_souss, "read_report", job)
