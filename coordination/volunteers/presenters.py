"""What one view of a volunteer shows, built once for the pages and the API: the public card
(never contact data), the person's own profile, a row of a project's roster, a team."""

from __future__ import annotations


def _skill_names(profile) -> list[str]:
    return [skill.name for skill in profile.skills] + profile.free_skills


def team_ref(team) -> dict | None:
    return {"id": team.id, "name": team.name} if team is not None else None


def card(profile) -> dict:
    """A volunteer as the directory and the team pages show them: the display name, the three
    shows and the hours; never a phone number, an e-mail or a real name."""
    return {
        "id": profile.id, "name": profile.user.display_name, "skills": _skill_names(profile),
        "party_member": profile.party_member, "party_org": profile.party_org if profile.party_member else None,
        "willingness": profile.willingness, "availability": profile.availability,
        "team": team_ref(profile.team), "hours_total": float(profile.hours_total or 0),
    }


def own(profile) -> dict:
    """The person's own profile (GET and PUT /me/volunteer)."""
    return {**card(profile), "public": profile.public, "team_id": profile.team_id,
            "listed_skills": [skill.code for skill in profile.skills], "other_skills": profile.free_skills}


def signup(entry) -> dict:
    """One sign-up as the volunteer sees it."""
    return {"id": entry.id, "project_id": entry.project_id, "status": entry.status.value,
            "status_label": str(entry.status.label), "note": entry.note, "created_at": entry.created_at,
            "checked_in_at": entry.checked_in_at, "hours": float(entry.hours_total or 0)}


def roster_row(entry) -> dict:
    """One sign-up of a project's roster (staff and the units running it): the name, the
    skills and the hours of each day."""
    profile = entry.profile
    return {**signup(entry), "name": profile.user.display_name, "skills": _skill_names(profile),
            "party_member": profile.party_member,
            "check_in_method": entry.check_in_method.value if entry.check_in_method else None,
            "days": [{"date": h.served_on, "hours": float(h.hours)} for h in entry.hours]}


def team_members(members, with_cards: bool) -> dict:
    """A team's members who show a public profile: their display names for everybody, their
    cards only for those who may see the volunteer directory (what the person agreed to show)."""
    return {"member_names": [profile.user.display_name for profile in members],
            "public_members": [card(profile) for profile in members] if with_cards else None}


def team(item, members: int | None = None) -> dict:
    return {"id": item.id, "name": item.name, "community": {"id": item.community.id, "name": item.community.name},
            "description": item.description, "hours_total": float(item.hours_total or 0), "members": members,
            "buildings": [{"id": p.building.id, "name": p.building.name, "slot": p.slot, "point": p.name}
                          for p in item.service_points]}
