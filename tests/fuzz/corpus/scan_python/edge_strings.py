x = f"{a!r:>{w}} {b}" + rb"\x00" + u"\N{DASH}"
import a.b as c
from . import (d, e)
