from django.utils.functional import SimpleLazyObject

from articles.permissions import is_team_owner
from articles.selectors.activity import unread_mention_count
from articles.selectors.teams import active_membership, memberships_of


def teams(request):
    """The header's team picker: the user's memberships and the active one (one cached query)."""
    membership = active_membership(request)
    return {
        "memberships": memberships_of(request),
        "team": membership.team if membership else None,
        "is_team_owner": is_team_owner(membership),
        # counted only if a template prints it
        "unread_mentions": SimpleLazyObject(
            lambda: unread_mention_count(user=request.user, team=membership.team if membership else None)
        ),
    }
