from gaizao.org.access import official_of, user_capabilities


def official(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"official": official_of(user), "capabilities": user_capabilities(user)}
