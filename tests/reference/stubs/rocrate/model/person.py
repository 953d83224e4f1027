# The name the reference imports; using it raises.
from rocrate.rocrate import ContextEntity


class Person(ContextEntity):
    pass
