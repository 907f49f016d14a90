"""Helpers that drive a dossier through the real services (no shortcuts into the tables)."""

from motcua.catalog.models import ProcedureVersion, RequiredPaper
from motcua.dossiers import services
from motcua.dossiers.services import ApplicantInput, PaperInput
from tests.pdf import minimal_pdf

APPLICANT = ApplicantInput(
    full_name="Nguyễn Văn Định", id_number="040095001234", phone="0912345678",
    email="dinh@example.vn", address="Số 5, đường Lê Lợi, phường Thành Vinh, Nghệ An",
)


def all_papers(code: str, case_key: str | None = None) -> list[PaperInput]:
    version = ProcedureVersion.objects.get(procedure__code=code, status="published")
    case = version.cases.get(key=case_key) if case_key else version.cases.first()
    return [
        PaperInput(
            required_paper_id=p.pk,
            content=minimal_pdf(f"scan of {p.name}"),
            filename="scan.pdf",
            content_type="application/pdf",
        )
        for p in RequiredPaper.objects.filter(version=version, required=True)
        if p.case_id in (None, case.pk)
    ]


def receive(world, code="2.001035", case=None, **overrides):
    """Counter reception at commune A's desk, competent agency commune A."""
    kwargs = dict(
        actor=world.receiver,
        receiving_agency=world.desk_a,
        procedure=code,
        competent_agency=world.commune_a,
        applicant=APPLICANT,
        case=case,
        papers=all_papers(code, case),
    )
    kwargs.update(overrides)
    return services.dossier_receive(**kwargs)


def refresh(dossier):
    dossier.refresh_from_db()
    return dossier


def walk_to_last_step(world, freeze, dossier, times):
    """Forward a 2.001035 dossier from step 1 towards step 6 at the given local moments (up to 5
    forwards): receiver → head (assigns the specialist) → specialist → head → leader (assigns the
    clerk)."""
    actors = [world.receiver, world.head, world.specialist, world.head, world.leader]
    assignees = [None, world.specialist, None, None, world.clerk]
    for actor, assignee, at in zip(actors, assignees, times):
        freeze(at)
        dossier = services.dossier_forward(dossier=dossier, actor=actor, assignee=assignee)
    return dossier
