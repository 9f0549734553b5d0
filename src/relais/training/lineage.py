"""Who trained whom, derived from the facts and stored for speed.

A person who completes a session was trained by its lead and co-facilitators.
Master trainers are generation 0; a trainee's generation is the lowest of their
trainers' generations plus one. `record_session` keeps the stored lineage current
as sessions close; `rebuild` recomputes it from the facts alone and must give the
same result (a test checks it).
"""

from collections import defaultdict

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Q

from .models import (
    Certification,
    Enrolment,
    Facilitation,
    Lineage,
    Session,
    TrainingLink,
)

TRAINING_ROLES = (Facilitation.Role.LEAD, Facilitation.Role.CO_FACILITATOR)


def master_trainer_ids() -> set[int]:
    return set(
        Certification.objects.filter(
            level=Certification.Level.MASTER_TRAINER, certified_on__isnull=False
        ).values_list("person_id", flat=True)
    )


def links_from_facts(sessions: Q | None = None) -> set[tuple[int, int, int]]:
    """(trainer, trainee, session) for every completion, from enrolments alone."""
    completed = Enrolment.objects.filter(status=Enrolment.Status.COMPLETED)
    if sessions is not None:
        completed = completed.filter(sessions)
    rows = completed.filter(
        session__facilitations__role__in=TRAINING_ROLES
    ).values_list("session__facilitations__person_id", "person_id", "session_id")
    return {(trainer, trainee, session) for trainer, trainee, session in rows}


def generations(links, masters: set[int]) -> dict[int, int]:
    """Shortest distance from a master trainer along the links (breadth first)."""
    trainees_of = defaultdict(set)
    for trainer, trainee, _session in links:
        trainees_of[trainer].add(trainee)
    generation = dict.fromkeys(masters, 0)
    frontier = list(masters)
    while frontier:
        next_frontier = []
        for trainer in frontier:
            for trainee in trainees_of.get(trainer, ()):
                if trainee not in generation:
                    generation[trainee] = generation[trainer] + 1
                    next_frontier.append(trainee)
        frontier = next_frontier
    return generation


@transaction.atomic
def rebuild() -> dict[str, int]:
    """Throw the stored lineage away and derive it again from the facts."""
    links = links_from_facts()
    generation = generations(links, master_trainer_ids())
    TrainingLink.objects.all().delete()
    Lineage.objects.all().delete()
    TrainingLink.objects.bulk_create(
        (TrainingLink(trainer_id=a, trainee_id=b, session_id=s) for a, b, s in links),
        batch_size=5000,
    )
    Lineage.objects.bulk_create(
        (Lineage(person_id=p, generation=g) for p, g in generation.items()),
        batch_size=5000,
    )
    _changed()
    return {"links": len(links), "people": len(generation)}


def record_session(session: Session) -> None:
    """Add a closed session's links and lower generations where they now are.

    Adding links can only shorten distances from the masters, so relaxing from the
    new trainees onwards reaches the same result as a rebuild.
    """
    new_links = links_from_facts(Q(session=session))
    _changed()
    TrainingLink.objects.bulk_create(
        (
            TrainingLink(trainer_id=a, trainee_id=b, session_id=s)
            for a, b, s in new_links
        ),
        ignore_conflicts=True,
    )
    trainers = {trainer for trainer, _, _ in new_links}
    _relax(
        dict(
            Lineage.objects.filter(person_id__in=trainers).values_list(
                "person_id", "generation"
            )
        )
    )


def record_master(person_id: int) -> None:
    """A newly certified master trainer is generation 0: their cascade starts here."""
    Lineage.objects.update_or_create(person_id=person_id, defaults={"generation": 0})
    _relax({person_id: 0})


def _relax(frontier: dict[int, int]) -> None:
    """Lower generations below `frontier` (person -> generation), level by level,
    until none improves. Reads only the links and people it reaches."""
    while frontier:
        best: dict[int, int] = {}
        links = TrainingLink.objects.filter(trainer_id__in=frontier).values_list(
            "trainer_id", "trainee_id"
        )
        for trainer, trainee in links:
            candidate = frontier[trainer] + 1
            best[trainee] = min(best.get(trainee, candidate), candidate)
        current = dict(
            Lineage.objects.filter(person_id__in=best).values_list(
                "person_id", "generation"
            )
        )
        improved = {
            person: generation
            for person, generation in best.items()
            if person not in current or generation < current[person]
        }
        for person, generation in improved.items():
            if person in current:
                Lineage.objects.filter(person_id=person).update(generation=generation)
        Lineage.objects.bulk_create(
            Lineage(person_id=p, generation=g)
            for p, g in improved.items()
            if p not in current
        )
        frontier = improved


def snapshot() -> tuple[set, set]:
    """The stored lineage, to compare a rebuild with what was kept current."""
    return (
        set(TrainingLink.objects.values_list("trainer_id", "trainee_id", "session_id")),
        set(Lineage.objects.values_list("person_id", "generation")),
    )


DESCENDANTS_BY_GENERATION = """
WITH RECURSIVE descendants(person_id) AS (
    SELECT trainee_id FROM training_traininglink WHERE trainer_id = %s
    UNION
    SELECT l.trainee_id FROM training_traininglink l
    JOIN descendants d ON l.trainer_id = d.person_id
)
SELECT g.generation, COUNT(*) FROM descendants d
JOIN training_lineage g ON g.person_id = d.person_id
GROUP BY g.generation ORDER BY g.generation
"""


# A master trainer's reach walks the whole cascade, a second at national scale.
# It changes only when links do: kept in the shared cache under the lineage's
# version, which every change of the links moves on.
VERSION_KEY = "lineage:version"


def _changed() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not yet counted, or evicted
        cache.set(VERSION_KEY, 1, timeout=None)


def descendants_by_generation(person_id: int) -> list[tuple[int, int]]:
    """How many people the trainer's cascade reached, per generation (one query)."""

    def count():
        with connection.cursor() as cursor:
            cursor.execute(DESCENDANTS_BY_GENERATION, [person_id])
            return [(int(g), int(n)) for g, n in cursor.fetchall()]

    version = cache.get_or_set(VERSION_KEY, 0, timeout=None)
    return cache.get_or_set(f"lineage:reach:{version}:{person_id}", count, 24 * 3600)
