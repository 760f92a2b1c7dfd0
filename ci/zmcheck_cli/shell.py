"""Running commands: every one is printed as "+ cmd ..." before it runs."""
import os
import shlex
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass

from .errors import EnvError


@dataclass
class Result:
    code: int
    output: str = ""
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.code == 0 and not self.timed_out


def command_line(cmd, env=None, cwd=None) -> str:
    """The command as a shell line, with the variables set for it in front."""
    text = shlex.join(str(c) for c in cmd)
    if env:
        text = " ".join(f"{k}={shlex.quote(str(v))}" for k, v in env.items()) + " " + text
    if cwd:
        text = f"(cd {shlex.quote(str(cwd))} && {text})"
    return text


def show(cmd, env=None, cwd=None):
    print("+ " + command_line(cmd, env, cwd), flush=True)


def environment(env=None):
    full = dict(os.environ)
    if env:
        full.update({k: str(v) for k, v in env.items()})
    return full


def missing_tool(tool: str) -> EnvError:
    from .deps import package_of  # late: deps runs commands too

    return EnvError(f"{tool} is not installed (apt-get install {package_of(tool)})")


def run(cmd, *, env=None, cwd=None, timeout=None, capture=False, quiet=False, stdin=subprocess.DEVNULL,
        output_file=None, append=False) -> Result:
    """Runs cmd (a list). env: variables added to this process's environment.
    capture: return stdout+stderr as text instead of letting them through.
    output_file: also (or only, with capture) write stdout+stderr there (append: at its end).
    timeout: seconds, then the whole process group is killed."""
    cmd = [str(c) for c in cmd]
    if not quiet:
        show(cmd, env, cwd)
    sys.stdout.flush()
    out = subprocess.PIPE if (capture or output_file) else None
    try:
        proc = subprocess.Popen(cmd, env=environment(env), cwd=cwd, stdout=out,
                                stderr=subprocess.STDOUT if out else None, stdin=stdin,
                                start_new_session=True)
    except FileNotFoundError:
        raise missing_tool(cmd[0]) from None
    timed_out = False
    chunks = []

    def reader():
        for raw in proc.stdout:
            line = raw.decode("utf-8", "replace")
            chunks.append(line)
            if not capture:  # tee: the output shows as it comes
                sys.stdout.write(line)
                sys.stdout.flush()

    thread = None
    if out is not None:
        thread = threading.Thread(target=reader, daemon=True)
        thread.start()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        kill_group(proc)
        proc.wait()
    except KeyboardInterrupt:
        kill_group(proc)
        raise
    if thread:
        thread.join(timeout=30)
    text = "".join(chunks)
    if output_file:
        with open(output_file, "a" if append else "w", encoding="utf-8") as f:
            f.write(text)
    if timed_out:
        print(f"zmcheck: timed out after {timeout} s, stopped: {command_line(cmd)}", flush=True)
    return Result(proc.returncode if not timed_out else -signal.SIGKILL, text, timed_out)


def kill_group(proc):
    """Stops a process we started and everything it started (its own session)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def which(tool: str):
    from shutil import which as _which

    return _which(tool)
