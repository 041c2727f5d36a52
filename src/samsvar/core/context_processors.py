from samsvar import __version__
from samsvar.core.permissions import perms_for


def samsvar(request):
    user = getattr(request, "user", None)
    return {
        "samsvar_version": __version__,
        "perms_granted": perms_for(user) if user is not None else frozenset(),
    }
