"""Signals the document life cycle sends to the apps that follow it.

`revision_effective` is sent inside the transaction that makes a revision effective, with
`actor` (the user who made it effective) and `revision` (a `documents.Revision`). The training
app listens and creates the training tasks the revision requires (ISO 13485 6.2), so a failure
there rolls the whole transition back.
"""

from django.dispatch import Signal

revision_effective = Signal()

# Sent with `actor`, `revision` and `reason` inside the transaction that makes an effective
# revision obsolete (the document is withdrawn): open training on it is cancelled.
revision_withdrawn = Signal()
