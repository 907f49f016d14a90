def demo(request):
    """`motcua_demo` in every template: pages link to the demo's own pages only in the demo."""
    return {"motcua_demo": True}
