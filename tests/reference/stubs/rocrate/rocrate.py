# The names the reference imports; using them raises.
class ROCrate:
    def __init__(self, *args, **kwargs):
        raise NotImplementedError("RO-Crate is not available in this stand-in")


class ContextEntity:
    def __init__(self, *args, **kwargs):
        raise NotImplementedError("RO-Crate is not available in this stand-in")
