"""The training app follows the document life cycle (ISO 13485 6.2 with 4.2.4).

Connected in `TrainingConfig.ready()`. The signals are sent inside the transaction that changes
the revision, so a failure here rolls the whole transition back.
"""

from samsvar.documents import signals


def open_tasks_for_effective_revision(sender, *, actor=None, revision, **kwargs):
    """Everyone whose role requires the document gets a task on the new effective revision."""
    from samsvar.training.services import tasks_for_effective_revision

    tasks_for_effective_revision(actor=actor, revision=revision)


def cancel_tasks_for_withdrawn_revision(sender, *, actor=None, revision, reason="", **kwargs):
    """Nobody trains on a withdrawn document: its open tasks are cancelled with the reason."""
    from samsvar.training.services import tasks_cancel_for_revision

    tasks_cancel_for_revision(actor=actor, revision=revision, reason=reason)


def connect() -> None:
    signals.revision_effective.connect(
        open_tasks_for_effective_revision, dispatch_uid="training.tasks_for_effective_revision"
    )
    withdrawn = getattr(signals, "revision_withdrawn", None)
    if withdrawn is not None:
        withdrawn.connect(
            cancel_tasks_for_withdrawn_revision, dispatch_uid="training.tasks_for_withdrawn"
        )
