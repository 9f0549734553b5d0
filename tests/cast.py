"""The named cast of the tests: one small world, two regions, every role.

Souss-Massa (09) and Oriental (02) each have an Entraide Nationale coordination and
a social centre; Souss-Massa also has an association; Dakhla has a hub. Each
person is affiliated to one organisation, so scope is easy to reason about.
"""

from dataclasses import dataclass

from relais.accounts.models import RoleMembership, User
from relais.core.roles import Role
from relais.organisations.models import Organisation
from relais.organisations.services import organisation_create
from relais.people.models import Person
from relais.people.services import person_create
from relais.territory.models import Territory

PASSWORD = "Cast-Password-2026"


@dataclass
class World:
    users: dict[str, User]
    orgs: dict[str, Organisation]
    people: dict[str, Person]
    training: dict | None = None
    hub: dict | None = None
    imports: dict | None = None

    def __getattr__(self, name):
        for group in (self.users, self.orgs, self.people):
            if name in group:
                return group[name]
        raise AttributeError(name)


def make_user(username: str, role: str, *, territory=None, organisation=None) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD)
    RoleMembership.objects.create(
        user=user, role=role, territory=territory, organisation=organisation
    )
    return user


def build_world() -> World:
    t = {
        x.code: x
        for x in Territory.objects.filter(level__in=["country", "region", "province"])
    }
    national_admin = make_user("national_admin", Role.NATIONAL_ADMIN, territory=t["MA"])
    K = Organisation.Kind

    def org(code, kind, province, parent=None):
        return organisation_create(
            actor=national_admin,
            code=code,
            kind=kind,
            name_fr=f"Organisation {code}",
            name_ar=f"مؤسسة {code}",
            territory=t[province],
            parent=parent,
        )

    ministry = org("MSISF", K.CENTRAL_SERVICE, "04.421")
    en = org("EN", K.CENTRAL_SERVICE, "04.421")
    en_souss = org("EN-09", K.EN_COORDINATION, "09.001", en)
    centre_agadir = org("CS-AGA", K.SOCIAL_CENTRE, "09.001", en_souss)
    en_oriental = org("EN-02", K.EN_COORDINATION, "02.411", en)
    centre_oujda = org("CS-OUJ", K.SOCIAL_CENTRE, "02.411", en_oriental)
    association_agadir = org("ASSO-AGA", K.ASSOCIATION, "09.001")
    centre_dakhla = org("CS-DAK", K.SOCIAL_CENTRE, "12.391", en)
    orgs = {
        "ministry": ministry,
        "en": en,
        "en_souss": en_souss,
        "centre_agadir": centre_agadir,
        "en_oriental": en_oriental,
        "centre_oujda": centre_oujda,
        "association_agadir": association_agadir,
        "centre_dakhla": centre_dakhla,
    }

    def person(first, last, first_ar, last_ar, organisation, cin):
        return person_create(
            actor=national_admin,
            organisation=organisation,
            first_name=first,
            last_name=last,
            first_name_ar=first_ar,
            last_name_ar=last_ar,
            sex="F",
            birth_year=1985,
            cin=cin,
            phone="0612345678",
        )

    people = {
        "person_agadir": person(
            "Mohamed", "El Amrani", "محمد", "العمراني", centre_agadir, "JB123456"
        ),
        "person_oujda": person(
            "Fatima", "Bennani", "فاطمة", "بناني", centre_oujda, "F654321"
        ),
        "person_association": person(
            "Youssef", "Alaoui", "يوسف", "العلوي", association_agadir, "J111222"
        ),
        "person_dakhla": person(
            "Khadija", "Ould Sidi", "خديجة", "ولد سيدي", centre_dakhla, "SH98765"
        ),
    }
    users = {
        "national_admin": national_admin,
        "coord_souss": make_user(
            "coord_souss", Role.REGIONAL_COORDINATOR, territory=t["09"]
        ),
        "coord_oriental": make_user(
            "coord_oriental", Role.REGIONAL_COORDINATOR, territory=t["02"]
        ),
        "manager_agadir": make_user(
            "manager_agadir", Role.CENTRE_MANAGER, organisation=centre_agadir
        ),
        "trainer_agadir": make_user(
            "trainer_agadir", Role.TRAINER, organisation=centre_agadir
        ),
        "agent_dakhla": make_user(
            "agent_dakhla", Role.HUB_AGENT, organisation=centre_dakhla
        ),
        "focal_association": make_user(
            "focal_association",
            Role.ASSOCIATION_FOCAL_POINT,
            organisation=association_agadir,
        ),
        "auditor_national": make_user(
            "auditor_national", Role.AUDITOR, territory=t["MA"]
        ),
        "me_national": make_user("me_national", Role.ME_OFFICER, territory=t["MA"]),
    }
    return World(users=users, orgs=orgs, people=people)


def build_training(world: World) -> dict:
    """Sessions on top of the cast, for the permission matrix.

    The trainer of Agadir is a certified relay trainer who leads an open session in
    Agadir and led a closed one; Oriental has its own open session.
    """
    import datetime

    from relais.monitoring import summaries
    from relais.monitoring.services import target_save
    from relais.training import services
    from relais.training.models import Certification, Facilitation, Session

    admin = world.national_admin
    programme = services.programme_create(
        actor=admin, code="PS", title_fr="Programme", title_ar="برنامج"
    )
    kit = services.kit_release(
        actor=admin,
        programme=programme,
        version="1",
        released_on=datetime.date(2026, 6, 1),
        modules=[],
    )
    trainer = person_create(
        actor=admin,
        organisation=world.centre_agadir,
        first_name="Hassan",
        last_name="Formateur",
    )
    world.trainer_agadir.person = trainer
    world.trainer_agadir.save(update_fields=["person"])
    certification = Certification.objects.create(
        person=trainer,
        programme=programme,
        level=Certification.Level.RELAY_TRAINER,
        status=Certification.Status.CERTIFIED,
        certified_on=datetime.date(2026, 9, 1),
        expires_on=datetime.date(2028, 9, 1),
        territory_path=world.centre_agadir.territory_path,
    )
    services.certificate_for_certification(certification)

    def session(code, venue, start, lead):
        planned = services.session_create(
            actor=admin,
            programme=programme,
            kit=kit,
            code=code,
            venue=venue,
            title=code,
            level=Session.Level.RELAY,
            start_date=start,
            end_date=start + datetime.timedelta(days=1),
            capacity=10,
        )
        services.session_set_status(actor=admin, session=planned, status="open")
        services.facilitation_assign(
            actor=admin, session=planned, person=lead, role=Facilitation.Role.LEAD
        )
        return planned

    souss = session("SOUSS-1", world.centre_agadir, datetime.date(2026, 12, 7), trainer)
    enrolment = services.enrolment_create(
        actor=admin, session=souss, person=world.person_agadir
    )
    past = session("SOUSS-0", world.centre_agadir, datetime.date(2026, 10, 5), trainer)
    completed = services.enrolment_create(
        actor=admin, session=past, person=world.person_association
    )
    for day in past.days:
        services.attendance_save(actor=admin, session=past, day=day, absent=set())
    services.results_save(
        actor=admin, session=past, values={(completed.pk, "post_test"): "18"}
    )
    services.session_close(actor=admin, session=past)
    oriental = session(
        "ORIENTAL-1", world.centre_oujda, datetime.date(2026, 12, 7), trainer
    )
    summaries.summarise([programme.pk])
    target = target_save(
        actor=admin,
        programme=programme,
        territory=world.centre_agadir.territory.parent,  # Souss-Massa
        audience="",
        period_start=datetime.date(2026, 7, 1),
        period_end=datetime.date(2027, 6, 30),
        people=100,
    )
    return {
        "programme": programme,
        "target": target,
        "trainer": trainer,
        "certification": certification,
        "session_souss": souss,
        "enrolment_souss": enrolment,
        "session_closed": past,
        "enrolment_completed": completed,
        "session_oriental": oriental,
        "lead_souss": souss.facilitations.get(),
    }


def build_hub(world: World) -> dict:
    """A visit in Dakhla with a note, a consent, a referral sent to the association
    of Agadir and a draft one (not sent yet), and two data-protection requests
    (recorded by the programme unit and by the auditor): for the permission
    matrix."""
    import datetime

    from relais.hub import dataprotection, services
    from relais.hub.models import Need

    admin, agent = world.national_admin, world.agent_dakhla
    legal_aid = services.service_save(
        actor=admin,
        provider=world.association_agadir,
        needs=[Need.objects.get(code="violence")],
        label_fr="Accompagnement juridique",
    )
    visit = services.visit_record(
        actor=agent,
        centre=world.centre_dakhla,
        channel="walk_in",
        needs=[Need.objects.get(code="violence")],
    )
    note = services.note_write(actor=agent, visit=visit, text="Confidentiel")
    consent = services.consent_record(
        actor=agent, visit=visit, recipient=world.association_agadir, purpose="Orienter"
    )
    referral = services.referral_send(
        actor=agent,
        referral=services.referral_create(actor=agent, visit=visit, service=legal_aid),
        consent=consent,
    )
    draft_referral = services.referral_create(
        actor=agent, visit=visit, service=legal_aid, reason="Pas encore envoyée"
    )
    # One request recorded by each handler: the other one exports its file.
    data_request = dataprotection.request_create(
        actor=admin,
        person=world.person_dakhla,
        kind="access",
        received_on=datetime.date(2026, 11, 2),
    )
    audited_request = dataprotection.request_create(
        actor=world.auditor_national,
        person=world.person_dakhla,
        kind="access",
        received_on=datetime.date(2026, 11, 3),
    )
    return {
        "service": legal_aid,
        "visit": visit,
        "note": note,
        "consent": consent,
        "referral": referral,
        "draft_referral": draft_referral,
        "data_request": data_request,
        "audited_request": audited_request,
    }


IMPORT_CSV = (
    "Nom;Prénom;Date de naissance;CIN\n"
    "Tazi;Amina;1990-07-01;K987654\n"
    "Idrissi;;12/03/1984;\n"
).encode()


def build_imports(world: World) -> dict:
    """Imports of people for the permission matrix: one just uploaded, one checked
    (with a problem, so that committing it is refused), one done, by the manager
    of Agadir; one uploaded in Oujda by the Oriental coordinator; a file of
    attendance uploaded by the Souss coordinator; and two checked files that
    name people and sessions out of their importer's reach (people by the
    manager of Agadir, enrolments by the Souss coordinator). Needs the training
    world (build_training) for the sessions.

    Files go under settings.VAR_DIR: the caller points it at a temporary folder.
    """
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import TestCase

    from relais.imports import jobs

    def upload(actor, organisation, content=IMPORT_CSV, kind="people"):
        return jobs.import_job_create(
            actor=actor,
            upload=SimpleUploadedFile("people.csv", content),
            organisation=organisation,
            kind=kind,
        )

    def check(actor, job):
        with TestCase.captureOnCommitCallbacks(execute=True):
            jobs.import_job_confirm_mapping(actor=actor, job=job, mapping=job.mapping)
        job.refresh_from_db()
        return job

    manager = world.manager_agadir
    uploaded = upload(manager, world.centre_agadir)
    checked = check(manager, upload(manager, world.centre_agadir))
    done = check(manager, upload(manager, world.centre_agadir))
    with TestCase.captureOnCommitCallbacks(execute=True):
        jobs.import_job_commit(actor=manager, job=done, decisions={}, skip_invalid=True)
    done.refresh_from_db()
    oujda = upload(world.coord_oriental, world.centre_oujda)
    attendance = jobs.import_job_create(
        actor=world.coord_souss,
        upload=SimpleUploadedFile("attendance.csv", b"session;cin;date;present\n"),
        kind="attendance",
    )
    # Files that name people and sessions out of their importer's reach.
    people_outside = check(
        manager,
        upload(
            manager,
            world.centre_agadir,
            (
                "Nom;Prénom;Année de naissance;CIN;Téléphone\n"
                f"Ould Sidi;Khadija;1985;{world.person_dakhla.cin_clear()};0661000001\n"
                "Bennani;Fatima;1985;;0661000002\n"
                "Nouvelle;Salma;1999;;0661000003\n"
            ).encode(),
        ),
    )
    records_outside = check(
        world.coord_souss,
        upload(
            world.coord_souss,
            None,
            (
                "session;cin\n"
                f"SOUSS-1;{world.person_oujda.cin_clear()}\n"
                f"ORIENTAL-1;{world.person_agadir.cin_clear()}\n"
                f"SOUSS-1;{world.person_association.cin_clear()}\n"
            ).encode(),
            kind="enrolments",
        ),
    )
    return {
        "uploaded": uploaded,
        "checked": checked,
        "done": done,
        "oujda": oujda,
        "attendance": attendance,
        "people_outside": people_outside,
        "records_outside": records_outside,
    }
