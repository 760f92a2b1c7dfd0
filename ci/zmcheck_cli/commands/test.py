"""test: the README's test command."""
import os
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import OrderedDict

from .. import cmake, paths, shell
from ..registry import command
from .common import prepare

FIXED_SEED = "seed=1"


def ctest_results(junit_path):
    """[(name, status)] from ctest's JUnit output; status pass, fail or skipped."""
    results = []
    for tc in ET.parse(junit_path).getroot().iter("testcase"):
        if tc.find("failure") is not None or tc.get("status") == "fail":
            status = "fail"
        elif tc.find("skipped") is not None or tc.get("status") in ("notrun", "disabled"):
            status = "skipped"
        else:
            status = "pass"
        results.append((tc.get("name"), status))
    return results


def group_of(name: str) -> str:
    """The label a test name belongs to: unit/..., properties/..., corpus/..., install/...,
    fuzz/<target>/generated-files."""
    if name.endswith("/generated-files"):
        return "generated-files"
    return name.split("/", 1)[0]


def summarize(results):
    groups = OrderedDict()
    for name, status in results:
        g = groups.setdefault(group_of(name), {"pass": 0, "fail": 0, "skipped": 0})
        g[status] += 1
    return groups


# ctest keeps only the first 1024 bytes of a passed test's output in its JUnit file; the
# "zmcheck coverage:" lines a property prints at its end would be lost.
KEEP_PASSED_OUTPUT = ["--test-output-size-passed", str(1 << 20)]


def run_ctest(preset, label=None, env=None, log_name="ctest", extra=()):
    """ctest of a preset (a label, or everything; extra: more ctest arguments), with JUnit
    output: (code, results, log)."""
    out_dir = paths.build_dir(preset) / "zmcheck"
    out_dir.mkdir(parents=True, exist_ok=True)
    junit = out_dir / f"{log_name}.xml"
    log = out_dir / f"{log_name}.log"
    if junit.exists():
        junit.unlink()
    args = ["--output-junit", str(junit)] + KEEP_PASSED_OUTPUT
    if label:
        args += ["-L", label]
    args += list(extra)
    cmd = cmake.ctest_command(preset, *args, jobs=os.cpu_count())
    result = shell.run(cmd, env=env, output_file=log, cwd=paths.root())
    results = ctest_results(junit) if junit.exists() else []
    return result.code, results, log


def driver_tests():
    """The driver's own unit tests (ci/tests): (ok, summary line)."""
    ci = paths.ROOT / "ci"
    result = shell.run([sys.executable, "-m", "unittest", "discover", "-s", str(ci / "tests")],
                       capture=True)
    print(result.output.rstrip()[-3000:])
    ran = re.search(r"Ran (\d+) tests?", result.output)
    tail = result.output.strip().splitlines()[-1] if result.output.strip() else ""
    return result.code == 0, f"{ran.group(1) if ran else '?'} tests, {tail}"


@command("test", "the README's test command: default build, every ctest label, the driver's own tests")
def run_test(args):
    """Installs what is missing, configures and builds the default preset, runs every
    ctest (labels unit, properties, corpus, install, and fuzz/<target>/generated-files)
    with a fixed RapidCheck seed, then the driver's own Python tests; a one-screen summary."""
    start = time.monotonic()
    prepare("default")
    cmake.build("default")
    env = {"RC_PARAMS": os.environ.get("RC_PARAMS", FIXED_SEED)}
    code, results, log = run_ctest("default", env=env)
    ok_driver, driver_line = driver_tests()
    print("\n==== zmcheck test: summary")
    print(f"{'group':<18} {'passed':>7} {'failed':>7} {'skipped':>8}")
    for group, c in summarize(results).items():
        print(f"{group:<18} {c['pass']:>7} {c['fail']:>7} {c['skipped']:>8}")
    failed = [n for n, s in results if s == "fail"]
    for name in failed[:15]:
        print(f"  FAILED {name}   replay: RC_PARAMS={env['RC_PARAMS']} ctest --preset default -R '^{re.escape(name)}$'")
    if len(failed) > 15:
        print(f"  ... and {len(failed) - 15} more (see {paths.rel(log)})")
    print(f"driver tests       {'ok' if ok_driver else 'FAILED'}: {driver_line}")
    if code != 0 and not failed:
        print(f"ctest exited {code} (see {paths.rel(log)})")
    ok = code == 0 and bool(results) and ok_driver
    print(f"ctest log: {paths.rel(log)}; RC_PARAMS={env['RC_PARAMS']}; {time.monotonic() - start:.0f} s")
    print("zmcheck test: " + ("all passed" if ok else "FAILED"))
    return 0 if ok else 1
