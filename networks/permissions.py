"""Who may act for which network: the one place the admin, the importer and the pages ask.

A coordinator (permission networks.coordinate, superusers included) may act for every
network. A manager is a staff user listed in Network.managers and may act only for those.
"""

from django.db.models import Q

from networks.models import Network, user_is_coordinator


def networks_for_user(user):
    """The networks a user may act for (may be empty)."""
    if not (user and user.is_authenticated and user.is_active and user.is_staff):
        return Network.objects.none()
    if user_is_coordinator(user):
        return Network.objects.all()
    return Network.objects.filter(managers=user)


def sole_network_of(user):
    """The one network a manager acts for, to preselect in forms; None for a coordinator or a
    manager of several networks (they choose)."""
    if user_is_coordinator(user):
        return None
    own = list(networks_for_user(user)[:2])
    return own[0] if len(own) == 1 else None


def user_manages_any_network(user):
    """Kept on the user object, which lives for one request: the admin asks once for every model
    on every page (its app list), as Django keeps a user's permissions (`_perm_cache`)."""
    known = getattr(user, "_manages_any_network", None)
    if known is None:
        known = networks_for_user(user).exists()
        if user is not None:
            user._manages_any_network = known
    return known


def user_may_manage_network(user, network):
    return network is not None and networks_for_user(user).filter(pk=network.pk).exists()


def user_may_manage_event(user, event):
    """Managers may act on events where one of their networks is owner or co-organiser."""
    if user_is_coordinator(user):
        return True
    return networks_for_user(user).filter(Q(pk=event.owner_id) | Q(co_organised_events=event.pk)).exists()


def user_owns_event(user, event):
    """The owner network decides: its managers (and the coordinator) change the owner, the
    co-organisers and the publication, and delete. Co-organisers edit the content only."""
    if user_is_coordinator(user):
        return True
    return event.owner_id is not None and networks_for_user(user).filter(pk=event.owner_id).exists()


def networks_for_new_copy(user, event):
    """The network that owns a copy the user makes of an event: never one the user does not manage."""
    own = networks_for_user(user)
    if own.filter(pk=event.owner_id).exists():
        return event.owner
    return own.filter(pk__in=event.co_organisers.values("pk")).alphabetical().first() or own.first()


# The call for sessions (campaigns): proposals belong to the proposing network; the networks
# asked to co-host see them and answer the request; the coordinator sees and decides all.


def user_may_manage_proposal(user, proposal):
    """The proposing network's managers (and the coordinator) see and act for a proposal."""
    return user_is_coordinator(user) or user_may_manage_network(user, proposal.network)


def user_may_see_proposal(user, proposal):
    """Also the managers of a network asked to co-host it, so they can confirm."""
    if user_may_manage_proposal(user, proposal):
        return True
    return proposal.co_hosts.filter(network__in=networks_for_user(user)).exists()


def user_may_edit_proposal(user, proposal):
    """Managers edit their network's proposals until the deadline and while undecided; the coordinator always."""
    if user_is_coordinator(user):
        return True
    return (
        proposal.call.is_open
        and proposal.status == proposal.Status.PROPOSED
        and user_may_manage_network(user, proposal.network)
    )


def user_may_answer_co_host(user, co_host):
    """Only the asked network's managers confirm or decline co-hosting."""
    return user_may_manage_network(user, co_host.network)
