"""The site owner's contact details and offer, from mkdocs.yml `extra.contact`.

They are checked before the build and shown on the contact page and under every post.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from kennisbank.links import phone_href

CONTACT_PAGE = "contact.md"
CONTACT_REQUIRED = ("name", "email", "offer_title", "offer", "button")
CONTACT_OPTIONAL = ("phone",)
EMAIL_RE = re.compile(r"^[^@\s<>\"'&]+@[^@\s<>\"'&]+\.[a-z]{2,}$", re.IGNORECASE)
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()-]{5,}$")
PROBLEMS_TITLE = "De contactgegevens in mkdocs.yml bevatten een fout:"
# Example addresses that must not go live: the domains reserved for examples
# (RFC 2606, RFC 6761), such as mkdocs.yml's own default info@example.com.
PLACEHOLDER_EMAIL_DOMAINS = ("example.com", "example.org", "example.net")
PLACEHOLDER_EMAIL_SUFFIXES = (".example", ".test", ".invalid", ".localhost")


def contact_problems(contact: object) -> list[str]:
    """Dutch messages for a missing or malformed `extra.contact` in mkdocs.yml."""
    if not isinstance(contact, Mapping):
        return ["extra.contact: ontbreekt; zet er name, email, offer_title, offer en button in"]
    problems = []
    for key in contact:
        if key not in CONTACT_REQUIRED + CONTACT_OPTIONAL:
            allowed = ", ".join(CONTACT_REQUIRED + CONTACT_OPTIONAL)
            problems.append(f"extra.contact.{key}: is geen bekend veld. Toegestaan: {allowed}")
    for key in CONTACT_REQUIRED:
        value = contact.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"extra.contact.{key}: ontbreekt; dit veld is verplicht (tekst)")
    email = contact.get("email")
    if isinstance(email, str) and email.strip() and not EMAIL_RE.match(email.strip()):
        problems.append(f"extra.contact.email: '{email}' is geen e-mailadres")
    phone = contact.get("phone")
    if phone not in (None, "") and not (isinstance(phone, str) and PHONE_RE.match(phone.strip())):
        problems.append(f"extra.contact.phone: '{phone}' is geen telefoonnummer")
    return problems


def is_placeholder_email(email: str) -> bool:
    domain = email.strip().rpartition("@")[2].lower()
    return domain in PLACEHOLDER_EMAIL_DOMAINS or domain.endswith(
        tuple("." + name for name in PLACEHOLDER_EMAIL_DOMAINS) + PLACEHOLDER_EMAIL_SUFFIXES
    )


def placeholder_problems(contact: object) -> list[str]:
    """Dutch messages for contact details that are still examples."""
    email = contact.get("email") if isinstance(contact, Mapping) else None
    if isinstance(email, str) and is_placeholder_email(email):
        return [
            f"extra.contact.email: '{email.strip()}' is een voorbeeldadres; "
            "vul het e-mailadres in waarop je bereikbaar bent"
        ]
    return []


def contact_context(contact: Mapping[str, Any], files) -> dict[str, Any]:
    """`kb_contact` for the templates: the details, with their links."""
    contact_file = files.get_file_from_path(CONTACT_PAGE) if files else None
    return {
        **contact,
        "email_href": f"mailto:{contact['email'].strip()}",
        "phone_href": phone_href(contact["phone"]) if contact.get("phone") else "",
        "url": contact_file.url if contact_file else None,
    }
