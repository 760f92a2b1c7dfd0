"""The subcommands, one module per group; importing a module registers its commands.
The order here is the order of the help."""
from . import build  # noqa: F401  list, build
from . import test  # noqa: F401  test
from . import fuzzing  # noqa: F401  fuzz
from . import prove  # noqa: F401  prove
from . import crashes  # noqa: F401  reproduce, minimize, merge, promote, trace
from . import mutants  # noqa: F401  mutants
from . import bench  # noqa: F401  bench
from . import coverage  # noqa: F401  coverage
from . import gate  # noqa: F401  gate
from . import external  # noqa: F401  external
from . import bisect  # noqa: F401  bisect
