"""Reads of accounts and of the citizen's own papers. Authorisation is applied here: a paper is
only ever read through its owner, so another citizen's paper does not exist for the caller."""

from django.db.models import Exists, OuterRef, QuerySet

from motcua.agencies.models import Membership

from .identifiers import canonical_identifier
from .models import CitizenPaper, OidcIdentity, User


def citizens() -> QuerySet[User]:
    """Accounts of citizens: not staff, not superusers, no membership in any agency. Only these
    may use the citizen login and the identity provider login: staff sign in at the desk, where
    their own rules (and, later, 2FA) apply."""
    return User.objects.filter(is_staff=False, is_superuser=False).exclude(
        Exists(Membership.objects.filter(user=OuterRef("pk")))
    )


def is_citizen(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and citizens().filter(pk=user.pk).exists()


def citizen_by_identifier(identifier: str) -> User | None:
    """The one citizen account with this phone, e-mail (or, for demo accounts, username); None
    when there is none — or more than one, which must not be guessed between."""
    kind, value = canonical_identifier(identifier)
    if not value:
        return None
    lookup = {"phone": "phone", "email": "email", "username": "username"}[kind]
    found = list(citizens().filter(**{lookup: value})[:2])
    return found[0] if len(found) == 1 else None


def identity_user(*, provider: str, subject: str) -> User | None:
    identity = OidcIdentity.objects.select_related("user").filter(provider=provider, subject=subject).first()
    return identity.user if identity else None


def identities_of(user) -> QuerySet[OidcIdentity]:
    if not getattr(user, "is_authenticated", False):
        return OidcIdentity.objects.none()
    return OidcIdentity.objects.filter(user=user)


# --- my papers -----------------------------------------------------------------------------------


def citizen_papers(user) -> QuerySet[CitizenPaper]:
    """The papers of `user` (newest first) — the only way to list papers for a citizen, also
    when a submission offers to reuse one. Anonymous: nothing."""
    if not getattr(user, "is_authenticated", False):
        return CitizenPaper.objects.none()
    return CitizenPaper.objects.filter(owner=user)


def citizen_paper_get(user, pk: int) -> CitizenPaper:
    """One paper of `user`; CitizenPaper.DoesNotExist for anyone else's (views answer 404, so
    another citizen cannot even learn that the number exists)."""
    return citizen_papers(user).get(pk=pk)
