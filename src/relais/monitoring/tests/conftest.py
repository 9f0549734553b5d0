"""The training tests' small cascade, with its summaries made."""

import pytest

from relais.monitoring import summaries
from relais.training.tests import conftest as training

# The training tests' fixtures, shared.
programme = training.programme
masters = training.masters
story = training.story


@pytest.fixture
def cascade(story, programme):
    """The story of relais.training.tests.conftest, summarised.

    Masters A and B (generation 0, certified at the ministry, Rabat region).
    TOT-1 (July, Agadir) led by A: P1 completes (8 → 16 of 20); P2 (post-test
    50 %) and P3 (absent) do not. REL-0 (September) led by B with P1: Q1
    completes (10 → 15). REL-1 (October) led by P1: R1 completes (9 → 17), R2
    does not. REL-2 (October): P1 leads, R1 co-facilitates (and is then
    certified). EU-1 (November, beneficiaries) led by R1: S1 completes (4 → 14).
    """
    # Sessions closed inside the test's transaction: the task that follows the
    # commit never runs, so the summaries are made here.
    summaries.summarise([programme.pk])
    return story
