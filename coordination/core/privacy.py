"""Masking personal data for everyone but the people allowed to see it."""

from __future__ import annotations

from coordination.core.permissions import can_see_personal_data


def mask_phone(phone: str | None) -> str | None:
    if not phone:
        return phone
    digits = phone.strip()
    if len(digits) <= 4:
        return "*" * len(digits)
    if len(digits) <= 7:
        return digits[:1] + "*" * (len(digits) - 3) + digits[-2:]
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_name(name: str | None) -> str | None:
    """张三丰 → 张**, Alice Smith → A*********."""
    if not name:
        return name
    name = name.strip()
    return name[:1] + "*" * max(len(name) - 1, 1)


def mask_email(email: str | None) -> str | None:
    if not email or "@" not in email:
        return mask_name(email)
    local, _, domain = email.partition("@")
    return local[:1] + "***@" + domain


MASKERS = {"phone": mask_phone, "name": mask_name, "email": mask_email}


def personal(value: str | None, kind: str, viewer) -> str | None:
    """``value`` as ``viewer`` may see it: whole for staff and admins, masked otherwise."""
    if can_see_personal_data(viewer):
        return value
    return MASKERS[kind](value)
