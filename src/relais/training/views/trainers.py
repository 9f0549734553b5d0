"""A person's training history and a trainer's cascade: trainees by generation,
and the tree below them."""

from django.shortcuts import render

from relais.core.pagination import paginate

from .. import selectors, services


def person_history(request, pk):
    person = selectors.person_training_get(actor=request.user, pk=pk)
    history = selectors.training_history(person)
    for enrolment in history["enrolments"]:
        enrolment.outcome_text = services.outcome_text(enrolment.outcome)
    # A history may name sessions the reader may not open (another region's).
    linked = selectors.sessions_readable_among(
        actor=request.user,
        ids={e.session_id for e in history["enrolments"]}
        | {f.session_id for f in history["facilitations"]},
    )
    return render(
        request,
        "training/person_history.html",
        {"person": person, "linked": linked, **history},
    )


def trainer_detail(request, pk):
    """A trainer's cascade: trainees by generation, and the tree below them."""
    person = selectors.person_training_get(actor=request.user, pk=pk)
    return render(
        request,
        "training/trainer.html",
        {
            "person": person,
            "lineage": person.lineage if hasattr(person, "lineage") else None,
            "by_generation": selectors.descendants_by_generation(trainer=person),
            "page": paginate(request, selectors.trainees(trainer=person)),
        },
    )


def trainer_children(request, pk):
    """One level of the descendants tree, loaded when a node is opened."""
    person = selectors.person_training_get(actor=request.user, pk=pk)
    return render(
        request,
        "training/_partials/tree_children.html",
        {
            "page": paginate(request, selectors.trainees(trainer=person)),
            "parent": person,
        },
    )
