"""The OSS-Fuzz / ClusterFuzzLite build (.clusterfuzzlite/build.sh), run here as OSS-Fuzz
runs it for ASan + libFuzzer: $OUT holds every target of fuzz-targets.json, runnable on
its seed corpus zip, with its dictionary and options. Slow (a clang build): about two
minutes on 2 cores."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest
import zipfile
from pathlib import Path

from support import ROOT

OSS_FUZZ_FLAGS = ("-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address "
                  "-fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link")


@unittest.skipUnless(shutil.which("clang") and shutil.which("cmake"), "needs clang and cmake (ci/zmcheck test installs them)")
class OssFuzzBuild(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="zmcheck-ossfuzz-"))
        cls.src, cls.out, cls.work = cls.tmp / "src", cls.tmp / "out", cls.tmp / "work"
        for d in (cls.src, cls.out, cls.work):
            d.mkdir()
        env = dict(os.environ, CC="clang", CXX="clang++", CFLAGS=OSS_FUZZ_FLAGS, CXXFLAGS=OSS_FUZZ_FLAGS,
                   LIB_FUZZING_ENGINE="-fsanitize=fuzzer", SRC=str(cls.src), OUT=str(cls.out), WORK=str(cls.work))
        env.pop("ZM_MUTANT", None)
        cls.build = subprocess.run(["bash", str(ROOT / ".clusterfuzzlite" / "build.sh")], env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=1800)
        manifest = cls.work / "zmcheck-build" / "fuzz-targets.json"
        cls.targets = json.loads(manifest.read_text())["targets"] if manifest.exists() else []

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_build_succeeds(self):
        self.assertEqual(self.build.returncode, 0, self.build.stdout[-3000:])
        self.assertTrue(self.targets)

    def test_the_engine_flag_links_libfuzzer(self):
        cache = (self.work / "zmcheck-build" / "CMakeCache.txt").read_text()
        self.assertIn("ZM_FUZZ_ENGINE:STRING=-fsanitize=fuzzer", cache)
        self.assertIn("ZM_SANITIZE:STRING=\n", cache)

    def test_out_has_every_target_with_its_files(self):
        for t in self.targets:
            name = t["name"]
            with self.subTest(target=name):
                binary = self.out / name
                self.assertTrue(os.access(binary, os.X_OK), f"{binary} missing or not executable")
                self.assertEqual((self.out / f"{name}.dict").read_bytes(), Path(t["dict"]).read_bytes())
                self.assertEqual((self.out / f"{name}.options").read_bytes(), Path(t["options"]).read_bytes())
                with zipfile.ZipFile(self.out / f"{name}_seed_corpus.zip") as z:
                    self.assertEqual(sorted(z.namelist()), sorted(os.listdir(t["corpus"])))

    def test_each_target_runs_its_seed_corpus(self):
        for t in self.targets:
            name = t["name"]
            with self.subTest(target=name):
                seeds = self.tmp / f"seeds-{name}"
                with zipfile.ZipFile(self.out / f"{name}_seed_corpus.zip") as z:
                    z.extractall(seeds)
                files = sorted(str(p) for p in seeds.iterdir())
                self.assertTrue(files)
                r = subprocess.run([str(self.out / name), *files], stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True, timeout=600)
                self.assertEqual(r.returncode, 0, r.stdout[-3000:])
                self.assertEqual(r.stdout.count("Running: "), len(files))
                self.assertIn("-fsanitize=fuzzer", (self.work / "zmcheck-build" / "build.ninja").read_text())


if __name__ == "__main__":
    unittest.main()
