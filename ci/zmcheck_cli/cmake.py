"""CMake presets, builds, the fuzz target manifest (build/<preset>/fuzz-targets.json,
written by CMake: the one list of targets) and ctest."""
import json
import os
from dataclasses import dataclass
from pathlib import Path

from . import paths, shell
from .errors import EnvError, Failure, UsageError


def presets():
    """The configure presets of CMakePresets.json that are not hidden."""
    with open(paths.root() / "CMakePresets.json", encoding="utf-8") as f:
        data = json.load(f)
    return [p["name"] for p in data.get("configurePresets", []) if not p.get("hidden")]


def test_presets():
    with open(paths.root() / "CMakePresets.json", encoding="utf-8") as f:
        data = json.load(f)
    return [p["name"] for p in data.get("testPresets", [])]


# Builds that `ci/zmcheck external` configures (build/external-<name>-<preset>/): another
# implementation under test. Once configured, their name works wherever a preset does.
EXTERNAL_PREFIX = "external-"


def is_external(preset: str) -> bool:
    return preset.startswith(EXTERNAL_PREFIX) and (paths.build_dir(preset) / "CMakeCache.txt").exists()


def check_preset(preset: str):
    if preset not in presets() and not is_external(preset):
        raise UsageError(f"no preset {preset!r}; CMakePresets.json has: {', '.join(presets())}"
                         + (" (and no build of ci/zmcheck external by that name)"
                            if preset.startswith(EXTERNAL_PREFIX) else ""))


def configure_external(name: str, preset: str, variables: dict, log=None) -> None:
    """Configures build/<name>/ from a preset of CMakePresets.json and cache variables
    (the output also into `log`)."""
    if not name.startswith(EXTERNAL_PREFIX):
        raise UsageError(f"an external build's name starts with {EXTERNAL_PREFIX!r}: {name!r}")
    check_preset(preset)
    cmd = ["cmake", "--preset", preset, "-B", str(paths.build_dir(name))]
    cmd += [f"-D{k}={v}" for k, v in variables.items()]
    if shell.run(cmd, cwd=paths.root(), output_file=log).code != 0:
        raise Failure(f"configuring {name} failed; replay: {shell.command_line(cmd)}")


def build(preset: str, targets=None, jobs=None, log=None) -> None:
    """Configures and builds a preset (or some of its targets); Failure if either fails.
    A build of ci/zmcheck external is built as configured. The output also goes into
    `log` (appended)."""
    check_preset(preset)
    if is_external(preset):
        cmd = ["cmake", "--build", str(paths.build_dir(preset))]
    else:
        if shell.run(["cmake", "--preset", preset], cwd=paths.root()).code != 0:
            raise Failure(f"configuring preset {preset} failed; replay: cmake --preset {preset}")
        cmd = ["cmake", "--build", "--preset", preset]
    for t in targets or []:
        cmd += ["--target", t]
    if jobs:
        cmd += ["--parallel", str(jobs)]
    result = shell.run(cmd, cwd=paths.root(), output_file=log, append=True)
    if result.code != 0:
        raise Failure(f"building {preset} failed; replay: {shell.command_line(cmd)}")


def first_error(log) -> str:
    """The first compiler or CMake error of a build log ("" if none is found)."""
    try:
        text = Path(log).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    for line in text.splitlines():
        if " error: " in line or line.startswith("CMake Error") or ": fatal error: " in line:
            return line.strip()
    return ""


@dataclass
class Target:
    name: str
    binary: str
    dialect: str
    corpus: str
    dict: str
    options: str

    @property
    def ops(self) -> bool:
        """An op-language target (zmcheck-trace reads its inputs)."""
        return self.dialect != ""


@dataclass
class Manifest:
    preset: str
    libfuzzer: bool
    mutants: bool
    targets: list
    external: bool = False  # a build of ci/zmcheck external: another implementation under test
    ceiling: str = ""       # the empty libFuzzer target built with the same flags ("" without libFuzzer)

    def target(self, name: str) -> Target:
        for t in self.targets:
            if t.name == name:
                return t
        raise UsageError(f"no fuzz target {name!r}; the targets are: {', '.join(self.names())}")

    def names(self):
        return [t.name for t in self.targets]

    def select(self, name=None):
        return [self.target(name)] if name else list(self.targets)


def manifest_path(preset: str) -> Path:
    return paths.build_dir(preset) / "fuzz-targets.json"


def parse_manifest(text: str, preset: str = "") -> Manifest:
    data = json.loads(text)
    return Manifest(preset, bool(data.get("libfuzzer")), bool(data.get("mutants")),
                    [Target(**t) for t in data.get("targets", [])], bool(data.get("external")),
                    data.get("ceiling", ""))


def manifest(preset: str, build_if_missing=True) -> Manifest:
    """The targets of a preset, configuring it first when it has no manifest yet."""
    path = manifest_path(preset)
    if not path.exists():
        if not build_if_missing:
            raise EnvError(f"{paths.rel(path)} is missing: run ci/zmcheck build --preset {preset}")
        check_preset(preset)
        if is_external(preset):
            raise EnvError(f"{paths.rel(path)} is missing: configure it again with ci/zmcheck external")
        if shell.run(["cmake", "--preset", preset], cwd=paths.root()).code != 0 or not path.exists():
            raise Failure(f"configuring preset {preset} failed; replay: cmake --preset {preset}")
    return parse_manifest(path.read_text(encoding="utf-8"), preset)


def ensure_binaries(preset: str, names=None) -> Manifest:
    """The manifest, with the binaries of the named targets (all if None) built. A build
    of ci/zmcheck external is brought up to date (an incremental build, as configured):
    a binary left by an older harness would decode and check the input otherwise."""
    m = manifest(preset)
    wanted = m.select(None) if names is None else [m.target(n) for n in names]
    if is_external(preset) or any(not os.path.exists(t.binary) for t in wanted):
        build(preset, [t.name for t in wanted] + ["zmcheck-trace"])
        m = manifest(preset)
    return m


def tool(preset: str, name: str) -> str:
    """A harness tool of a preset (zmcheck-trace, zmcheck-mutants), built if missing."""
    path = paths.build_dir(preset) / "harness" / name
    if not path.exists():
        manifest(preset)
        build(preset, [name])
    return str(path)


def ctest_command(preset: str, *args, jobs=None):
    """ctest for a preset: by its test preset when there is one, else by its build dir."""
    if preset in test_presets():
        cmd = ["ctest", "--preset", preset]
    else:
        cmd = ["ctest", "--test-dir", str(paths.build_dir(preset)), "--output-on-failure"]
    if jobs:
        cmd += ["-j", str(jobs)]
    return cmd + list(args)


def ctest_tests(preset: str, label: str):
    """The tests of a label as ctest knows them: [(name, command list)]."""
    cmd = ["ctest", "--test-dir", str(paths.build_dir(preset)), "-L", label, "--show-only=json-v1"]
    result = shell.run(cmd, capture=True)
    if result.code != 0:
        raise Failure(f"ctest could not list the {label} tests of {preset}: {result.output.strip()}")
    data = json.loads(result.output)
    return [(t["name"], t.get("command", [])) for t in data.get("tests", [])]
