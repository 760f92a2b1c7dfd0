#!/usr/bin/env python3
"""A ctest of zmcheck-prove over an example: check_prove.py PROVE EXPECT [ARG...]

EXPECT pass: the proof holds (exit 0, no counterexample). EXPECT a number N: the proof
fails (exit 1) and its smallest witness has exactly N ops."""
import json
import os
import subprocess
import sys
import tempfile


def main():
    binary, expect, *args = sys.argv[1:]
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "prove.json")
        run = subprocess.run([binary, "--quiet", "--json", out] + args, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
        print(run.stdout[-6000:])
        if not os.path.exists(out):
            print(f"check_prove: {binary} wrote no JSON (exit {run.returncode})")
            return 1
        doc = json.load(open(out, encoding="utf-8"))
    found = doc["counterexamples"]
    if expect == "pass":
        if run.returncode != 0 or found:
            print(f"check_prove: expected the proof to hold; exit {run.returncode}, {len(found)} counterexample(s)")
            return 1
        return 0
    smallest = min((c["ops"] for c in found), default=None)
    if run.returncode != 1 or smallest != int(expect):
        print(f"check_prove: expected a counterexample of {expect} ops; exit {run.returncode}, smallest {smallest}")
        return 1
    witness = next(c for c in found if c["ops"] == smallest)
    print(f"check_prove: smallest witness, {smallest} ops ({witness['signature']}):\n{witness['trace']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
