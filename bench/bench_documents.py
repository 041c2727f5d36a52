"""Benchmark: server time of the document list, search and API list with a large library.

    python bench/bench_documents.py [--documents 5000] [--revisions 5] [--sample 20] [--runs 7]
                                    [--reuse]

Builds a library of `--documents` controlled documents with `--revisions` revisions each (the
last one effective, the earlier ones superseded), then requests the document list page, the
search page and the API list through Django's test client as a signed-in engineer and prints the
best and median server time of `--runs` requests (the first request of each is a warm-up and not
counted). Target from the issue: list and search under 200 ms at 5,000 documents x 5 revisions.

How the library is built. `--sample` documents go through the services the way document control
issues them (create, revise, submit, sign as approver, approve, make effective); the time per
revision is printed. Signing checks the password each time, so the sample signs with a fast
password hasher: the figure is the cost of the services, not of Argon2. The rest is written in
batches inside `audited()` blocks with the models' own save(): `ControlledModel` refuses bulk
inserts even there, so every document and revision still gets its audit event, and each
document's search entry is written by `search.index_document` as the services do. The bench
prints how long that takes (a few minutes on SQLite).

With SAMSVAR_DATA_DIR set to a directory of your own and `--reuse`, a second run measures the
library the first one left there. Runs against a throwaway installation: SQLite in a temporary
data directory by default (FTS5 search), or, with SAMSVAR_DATABASE_URL=postgres://..., a
temporary `test_<name>` database that Django's test machinery creates and drops (PostgreSQL
full-text search). Not a test: it asserts nothing about time.
"""

import argparse
import datetime as dt
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BENCH_USER = "bench-engineer"
PASSWORD = secrets.token_urlsafe(18)
# Type mix of the generated library (fractions of --documents).
MIX = (
    ("procedure", 0.40),
    ("work_instruction", 0.30),
    ("form", 0.18),
    ("specification", 0.07),
    ("plan", 0.05),
)
_DOMAIN = (
    "complaint vigilance incident trend report device pump insulin meter strip label udi "
    "risk hazard control verification validation design input output review approval "
    "supplier purchasing audit capa correction nonconformity training competence record "
    "retention calibration cleaning release batch serial lot sterile packaging transport "
    "software firmware cybersecurity usability clinical evaluation performance surveillance "
    "feedback customer distributor authority notified body declaration conformity technical "
    "documentation change request revision procedure instruction form specification plan "
    "klage avvik opplæring kompetanse dokumentstyring risikostyring sporbarhet merking"
)
_SYLLABLES = "ka lo mi ne ra su to vi de fa gi ho ju le mo pa ri se ta ul"
DOMAIN_WORDS = _DOMAIN.split()
SYLLABLES = _SYLLABLES.split()


def setup_django() -> None:
    sys.path[:0] = [str(REPO), str(REPO / "src")]
    os.environ.setdefault("SAMSVAR_MODE", "dev")
    os.environ.setdefault("SAMSVAR_DATA_DIR", tempfile.mkdtemp(prefix="samsvar-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "samsvar.settings"
    import django

    django.setup()


class Text:
    """Deterministic filler text: common QMS words and a long tail of rarer invented words, so
    the search index has the size and word distribution of a real library."""

    def __init__(self, seed: int = 13485):
        self.random = random.Random(seed)
        rare = {
            "".join(self.random.choice(SYLLABLES) for _ in range(self.random.randint(2, 4)))
            for _ in range(6000)
        }
        self.rare = sorted(rare)

    def word(self) -> str:
        if self.random.random() < 0.35:
            return self.random.choice(DOMAIN_WORDS)
        return self.random.choice(self.rare)

    def sentence(self, words: int) -> str:
        text = " ".join(self.word() for _ in range(words))
        return text[:1].upper() + text[1:] + "."

    def document(self, words: int) -> str:
        sections, written = [], 0
        number = 1
        while written < words:
            length = self.random.randint(40, 90)
            body = " ".join(self.sentence(self.random.randint(8, 16)) for _ in range(length // 12))
            sections.append(f"## {number} {self.sentence(3)[:-1]}\n\n{body}")
            written += length
            number += 1
        return "\n\n".join(sections)


def make_people():
    from samsvar.accounts.services import user_create

    def person(username, role, full_name):
        return user_create(
            actor=None,
            username=username,
            password=PASSWORD,
            full_name=full_name,
            role=role,
            email=f"{username}@example.no",
        )

    return {
        "quality": person("bench-quality", "quality_manager", "Bench Quality"),
        "approver": person("bench-approver", "approver", "Bench Approver"),
        "engineer": person(BENCH_USER, "engineer", "Bench Engineer"),
        "regulatory": person("bench-regulatory", "regulatory_affairs", "Bench Regulatory"),
    }


def build_sample(people, text: Text, documents: int, revisions: int) -> float:
    """Documents issued through the services; returns the seconds per issued revision."""
    from django.test import override_settings

    from samsvar.core.services import record_sign
    from samsvar.documents import services

    quality, approver = people["quality"], people["approver"]

    def issue(revision):
        revision = services.revision_submit(actor=quality, revision=revision)
        record_sign(actor=approver, record=revision, meaning="approved", password=PASSWORD)
        revision = services.revision_approve(actor=approver, revision=revision)
        return services.revision_make_effective(actor=quality, revision=revision)

    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    start = time.perf_counter()
    with override_settings(PASSWORD_HASHERS=fast):
        for person in (quality, approver):
            person.set_password(PASSWORD)
            person.save(update_fields=["password"])
        for n in range(documents):
            document = services.document_create(
                actor=quality,
                doc_type="procedure",
                title=f"Sample procedure {n + 1}: {text.sentence(4)[:-1]}",
                owner=quality,
                approvers=[approver],
                iso_clauses=[text.random.choice(CLAUSES)],
                reason_for_change="First issue",
                content_md=text.document(400),
            )
            issue(document.revisions.get())
            for index in range(1, revisions):
                issue(
                    services.revision_create(
                        actor=quality,
                        document=document,
                        reason_for_change=f"Update {index}",
                        content_md=text.document(400),
                    )
                )
    issued = documents * revisions
    return (time.perf_counter() - start) / issued if issued else 0.0


_CLAUSES = (
    "4.2.4 4.2.5 5.6 6.2 7.1 7.3.2 7.3.3 7.3.6 7.3.9 7.4.1 7.5.1 7.5.6 7.5.8 8.2.1 8.2.2 8.2.3 "
    "8.2.4 8.3 8.5.2"
)
CLAUSES = _CLAUSES.split()


def build_bulk(people, text: Text, documents: int, revisions: int, batch: int = 100) -> None:
    """The rest of the library, saved model by model in audited batches."""
    from django.utils import timezone

    from samsvar.core.audit import audited
    from samsvar.documents.models import (
        DEFAULT_PREFIXES,
        Document,
        DocumentStatus,
        DocumentType,
        Revision,
        RevisionStatus,
    )
    from samsvar.documents.revisions import LETTERS, first_label, next_label
    from samsvar.documents.search import index_document

    owners = list(people.values())
    plan = []
    for doc_type, share in MIX:
        plan += [doc_type] * round(documents * share)
    plan = plan[:documents] + ["procedure"] * max(0, documents - len(plan))
    counters = {doc_type: Document.objects.filter(doc_type=doc_type).count() for doc_type, _ in MIX}
    today = timezone.localdate()
    now = timezone.now()
    for start in range(0, len(plan), batch):
        with audited(actor=people["quality"], reason="benchmark library"):
            for doc_type in plan[start : start + batch]:
                counters[doc_type] += 1
                prefix = DEFAULT_PREFIXES[DocumentType(doc_type)]
                document = Document(
                    number=f"{prefix}-{counters[doc_type]:03d}",
                    doc_type=doc_type,
                    title=text.sentence(text.random.randint(3, 8))[:-1],
                    owner=text.random.choice(owners),
                    iso_clauses=sorted(set(text.random.sample(CLAUSES, 2))),
                    next_review_due=today + dt.timedelta(days=text.random.randint(-60, 700)),
                )
                document.save()
                label = first_label(LETTERS)
                revision = None
                for index in range(revisions):
                    last = index == revisions - 1
                    revision = Revision(
                        document=document,
                        label=label,
                        status=RevisionStatus.EFFECTIVE if last else RevisionStatus.SUPERSEDED,
                        content_md=text.document(text.random.randint(200, 700)),
                        reason_for_change="First issue" if index == 0 else text.sentence(6),
                        author=document.owner,
                        approved_at=now,
                        effective_at=now,
                        superseded_at=None if last else now,
                    )
                    revision.save()
                    label = next_label(LETTERS, label)
                document.current_revision = revision
                document.status = DocumentStatus.EFFECTIVE
                document.save()
                index_document(document)
        done = min(start + batch, len(plan))
        if done % 1000 == 0 or done == len(plan):
            print(f"  {done} documents", flush=True)


def timed(client, url: str, runs: int) -> tuple[float, float, int]:
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        seconds.append(time.perf_counter() - start)
    return min(seconds), statistics.median(seconds), len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=5_000)
    parser.add_argument("--revisions", type=int, default=5)
    parser.add_argument("--sample", type=int, default=20, help="documents issued by the services")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--reuse", action="store_true", help="measure the library a previous run left (SQLite)"
    )
    args = parser.parse_args()

    setup_django()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    postgres = connection.vendor == "postgresql"
    if postgres:
        old_name = connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False
        )
    else:
        call_command("migrate", verbosity=0)
    # Pages are served as in production: static files collected, hashed names from the manifest.
    call_command("collectstatic", interactive=False, verbosity=0)
    try:
        from samsvar.documents.models import Document, Revision

        User = get_user_model()
        text = Text()
        if args.reuse and User.objects.filter(username=BENCH_USER).exists():
            engineer = User.objects.get(username=BENCH_USER)
            print("reusing the library of an earlier run")
        else:
            people = make_people()
            engineer = people["engineer"]
            sample = min(args.sample, args.documents)
            per_revision = build_sample(people, text, sample, args.revisions)
            print(
                f"services: {sample} documents x {args.revisions} revisions, "
                f"{per_revision * 1000:.0f} ms per issued revision"
            )
            start = time.perf_counter()
            build_bulk(people, text, args.documents - sample, args.revisions)
            seconds = time.perf_counter() - start
            print(f"bulk: {args.documents - sample} documents in {seconds:.0f} s")
        documents = Document.objects.count()
        revisions = Revision.objects.count()
        print(f"database: {connection.vendor}")
        print(f"library: {documents} documents, {revisions} revisions")

        client = Client(HTTP_HOST="localhost")
        client.force_login(engineer)
        rare = text.rare[len(text.rare) // 2]
        owner = Document.objects.order_by("pk").values_list("owner_id", flat=True).first()
        number = Document.objects.order_by("-pk").values_list("number", flat=True).first()
        deep = f"?page={max(1, min(50, documents // 50))}"
        page = reverse("documents:list")
        api = "/api/v1/documents/"
        pages = [
            ("list", page),
            ("list, page 50", page + deep),
            ("list, procedures in force", page + "?doc_type=procedure&status=effective"),
            ("list, clause 8.2", page + "?clause=8.2"),
            ("list, one owner", page + f"?owner={owner}"),
            ("search, common word", page + "?q=complaint"),
            ("search, two words", page + "?q=complaint+trend"),
            ("search, number", page + f"?q={number}"),
            ("search, rare word", page + f"?q={rare}"),
            ("search + type + clause", page + "?q=risk&doc_type=procedure&clause=7.3"),
            ("API list", api),
            ("API list, page 50", api + deep),
            ("API search, common word", api + "?q=complaint"),
            ("API type + clause", api + "?type=procedure&clause=8.2"),
        ]
        print(f"{'request':30} {'best ms':>9} {'median ms':>10} {'KB':>7}")
        for label, url in pages:
            best, median, size = timed(client, url, args.runs)
            print(f"{label:30} {best * 1000:9.0f} {median * 1000:10.0f} {size / 1024:7.0f}")
    finally:
        if postgres:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
