"""Dependencies: the Debian packages zmcheck needs, checked cheaply (one dpkg-query),
installed with apt-get when missing (apt-get update first) if we are root."""
import os
import subprocess

from . import shell
from .errors import EnvError

# Every package the builds, tests and tools need.
PACKAGES = [
    "cmake", "ninja-build", "g++", "clang", "libclang-rt-14-dev", "llvm", "libgtest-dev",
    "libbenchmark-dev", "librapidcheck-dev", "relacy-dev", "libjemalloc-dev",
    "libgoogle-perftools-dev", "libmimalloc-dev", "pkg-config", "binutils",
]

# The tools the driver runs, and the package that brings each.
TOOLS = {
    "cmake": "cmake", "ctest": "cmake", "ninja": "ninja-build", "gcc": "gcc", "g++": "g++",
    "clang": "clang", "clang++": "clang", "llvm-symbolizer": "llvm", "llvm-cov-14": "llvm",
    "llvm-profdata-14": "llvm", "pkg-config": "pkg-config", "nm": "binutils",
    "apt-get": "apt", "dpkg-query": "dpkg", "python3": "python3", "zip": "zip",
}

SYMBOLIZER = "/usr/bin/llvm-symbolizer"


def package_of(tool: str) -> str:
    return TOOLS.get(os.path.basename(tool), os.path.basename(tool))


def missing_packages(packages):
    """The packages of the list that dpkg does not report installed."""
    if shell.which("dpkg-query") is None:
        # Not Debian: check the tools we can see instead.
        return [package_of(t) for t in ("cmake", "ninja", "g++", "clang", "llvm-cov-14") if shell.which(t) is None]
    cmd = ["dpkg-query", "-W", "-f=${Package} ${Status}\\n", *packages]  # dpkg-query expands the \\n
    shell.show(cmd)
    proc = subprocess.run(cmd,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    installed = {line.split()[0] for line in proc.stdout.splitlines()
                 if line.endswith("install ok installed")}
    return [p for p in packages if p not in installed]


def ensure(packages=None):
    """Installs what is missing, or stops with exit code 2 naming it."""
    packages = packages or PACKAGES
    missing = missing_packages(packages)
    if not missing:
        return
    names = " ".join(missing)
    if os.environ.get("ZMCHECK_NO_INSTALL") or os.geteuid() != 0 or shell.which("apt-get") is None:
        raise EnvError(f"missing packages: {names} (as root: apt-get update && apt-get install -y {names})")
    print(f"zmcheck: installing the missing packages: {names}", flush=True)
    env = {"DEBIAN_FRONTEND": "noninteractive"}
    shell.run(["apt-get", "update"], env=env)
    result = shell.run(["apt-get", "install", "-y", "--no-install-recommends", *missing], env=env)
    still = missing_packages(missing)
    if result.code != 0 or still:
        raise EnvError(f"could not install: {' '.join(still or missing)} "
                       f"(apt-get install -y {' '.join(still or missing)})")
    print(f"zmcheck: installed {names}", flush=True)
