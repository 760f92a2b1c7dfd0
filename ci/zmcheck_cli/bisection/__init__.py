"""ci/zmcheck bisect: from a finding to the commit of another repository that introduced it.

session.py (what is bisected, and how each commit is built), git.py (the repository:
revisions, tags, the scratch worktree, `git bisect` and what it prints), builds.py (a
commit's sources built as the system under test, cached by tree hash), verdict.py (one
commit's replays judged good, bad or skip), probe.py (one commit tested, one line of
progress), step.py (the command `git bisect run` runs) and record.py (bisect.json and the
report's "## Bisect" section)."""
