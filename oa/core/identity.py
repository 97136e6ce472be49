"""Who is acting: `--as`, then `OA_USER`, then git's user.email, mapped to a person in oa.yaml."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from oa.core import gitops
from oa.core.errors import OAError
from oa.core.store import Store


@dataclass(frozen=True)
class Actor:
    person: str
    #: the person operating the terminal when that is someone else (a clerk entering an oral
    #: instruction); None when they are the actor
    entered_by: str | None = None


def operator(store: Store) -> str | None:
    """The person at the terminal, from git's user.email (None when unknown)."""
    email = os.environ.get("GIT_AUTHOR_EMAIL") or gitops.config(store.root, "user.email")
    return store.office.find_person(email) if email else None


def resolve(store: Store, as_person: str | None) -> Actor:
    given = as_person or os.environ.get("OA_USER")
    source = "--as" if as_person else "OA_USER"
    if not given:
        email = os.environ.get("GIT_AUTHOR_EMAIL") or gitops.config(store.root, "user.email")
        if not email:
            raise OAError(
                "OA604", "who are you? give --as PERSON, set OA_USER, or set git user.email"
            )
        person = store.office.find_person(email)
        if person is None:
            raise OAError(
                "OA604", f"no person in oa.yaml has the e-mail {email!r} (git user.email)"
            )
        return Actor(person)
    office = store.office
    person = office.find_person(given)
    if person is None:
        raise OAError("OA604", f"no person in oa.yaml matches {given!r} ({source})")
    at_terminal = operator(store)
    if at_terminal is None or at_terminal == person:
        return Actor(person)
    allowed = office.audit.on_behalf_roles
    if not any(office.has_role(at_terminal, r) for r in allowed):
        raise OAError(
            "OA603",
            f"{office.display(at_terminal)} ({at_terminal}, git user.email) may not enter steps "
            f"for {office.display(person)}: only holders of " + " or ".join(allowed) + " may "
            "(audit.on_behalf_roles in oa.yaml)",
        )
    return Actor(person, at_terminal)


def now(store: Store) -> datetime:
    """The office's local time; OA_NOW (ISO 8601) pins it for scripted and reproducible runs."""
    tz = ZoneInfo(store.office.office.timezone)
    pinned = os.environ.get("OA_NOW")
    if pinned:
        try:
            value = datetime.fromisoformat(pinned)
        except ValueError:
            raise OAError("OA005", f"OA_NOW={pinned!r} is not an ISO 8601 time") from None
        return value.astimezone(tz) if value.tzinfo else value.replace(tzinfo=tz)
    return datetime.now(tz).replace(microsecond=0)
