"""Tests of tools/emulators' comparison (--compare) on synthetic serial logs:
agreement, justified and unjustified SKIPs, differing lines, known bugs, a
run that stops early. Boots nothing. Prints "N passed, N failed".

Run from the repository root: python3 tests/emulators/test_compare.py
"""
import os
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TOOL = os.path.join(ROOT, "tools", "emulators")

NPF = ("# npf: gpa=0x00000000fffffff0 exitinfo1=0x0000000100000014 rip=0x000000000000fff0 "
       "[not-present user fetch final]")


def log(features="svm=1 npt=1 la57=1", scenarios=None, end=True, noise=""):
    """A serial log: CRLF, firmware noise before the begin marker."""
    lines = [noise + "# svmtest-begin version=0.2.0", "KTAP version 1",
             '# cpu: vendor=AuthenticAMD family=0x19 model=0x11 stepping=0x1 name="x"',
             f"# features: {features}", "# cmdline: only=all", f"1..{len(scenarios)}"]
    for n, (name, body, result) in enumerate(scenarios, 1):
        lines += body
        lines.append(result.format(n=n, name=name))
    if end:
        lines.append("# svmtest-end pass=0 fail=0 skip=0 error=0")
    return "\r\n".join(["SeaBIOS noise"] + lines) + "\r\n"


def mismatch(name, verdict="# verdict: CPU walked 5 levels, NPT has 4 (model: 5)"):
    # the header line's format is not relied upon: any text may precede
    return (name, [f"# {name} whatever the header says", NPF, "# walk5 0xfffff000: L5[0]=0x1027", verdict],
            "ok {n} {name}")


def guest(name, g):
    return (name, [f"# vmmcall: rax=0x544d5653 rbx={g}", f"# verdict: guest walked {g} levels (model: {g})"],
            "ok {n} {name}")


REFERENCE = [mismatch("host5_npt4_demand"), guest("guest5_host4", 5), guest("guest4_host4", 4)]
LA57_SKIP = "ok {n} {name} # SKIP CPU has no LA57 (CPUID 7 ECX.LA57=0): no 5-level host paging"


class Compare(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.known = os.path.join(self.dir, "known.tsv")
        with open(self.known, "w") as f:
            f.write("# none\n")

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w", newline="") as f:
            f.write(text)
        return path

    def compare(self, emu_text, label="bochs-3.0", ref_text=None):
        ref = self.write("ref.log", ref_text or log(scenarios=REFERENCE))
        emu = self.write("emu.log", emu_text)
        p = subprocess.run([sys.executable, TOOL, "--known", self.known, "--compare", ref, f"{label}={emu}"],
                           capture_output=True, text=True, timeout=60)
        return p.returncode, p.stdout + p.stderr

    def know(self, *rows):
        with open(self.known, "w") as f:
            for row in rows:
                f.write("\t".join(row) + "\n")

    def row(self, out, name):
        return next(l for l in out.splitlines() if l.startswith(name + " "))

    def test_identical_agrees(self):
        rc, out = self.compare(log(scenarios=REFERENCE))
        self.assertEqual(rc, 0, out)
        self.assertRegex(self.row(out, "guest5_host4"), r"\| ok +=  +=$")
        self.assertIn("every emulator agrees", out)

    def test_other_lines_are_not_compared(self):
        # an accessed bit set differently in a walk line is not a disagreement
        emu = [(n, [l.replace("1027", "1007") for l in b], r) for n, b, r in REFERENCE]
        rc, out = self.compare(log(scenarios=emu))
        self.assertEqual(rc, 0, out)
        self.assertIn("(not compared): # walk5 x1", out)

    def test_skip_justified_by_features(self):
        emu = [(n, [], LA57_SKIP) if n.startswith(("host5", "guest5")) else (n, b, r) for n, b, r in REFERENCE]
        rc, out = self.compare(log(features="svm=1 npt=1 la57=0", scenarios=emu))
        self.assertEqual(rc, 0, out)
        self.assertRegex(self.row(out, "host5_npt4_demand"), r"\| SKIP la57=0 +- +-$")

    def test_skip_not_justified(self):
        # the features line says LA57 is there: the SKIP is a disagreement
        emu = [(n, [], LA57_SKIP) if n == "guest5_host4" else (n, b, r) for n, b, r in REFERENCE]
        rc, out = self.compare(log(features="svm=1 npt=1 la57=1", scenarios=emu))
        self.assertEqual(rc, 1, out)
        self.assertIn("NOT a known bug", out)

    def test_verdict_differs(self):
        emu = [mismatch("host5_npt4_demand", "# verdict: CPU walked 4 levels, NPT has 4 (model: 5)")] + REFERENCE[1:]
        rc, out = self.compare(log(scenarios=emu))
        self.assertEqual(rc, 1, out)
        self.assertRegex(self.row(out, "host5_npt4_demand"), r"\| ok +=  +DIFF$")
        # both lines, the reference's first
        lines = out.splitlines()
        self.assertIn("bochs-3.0 host5_npt4_demand: NOT a known bug", lines)
        i = lines.index("  verdict")
        self.assertTrue(lines[i + 1].endswith("# verdict: CPU walked 5 levels, NPT has 4 (model: 5)"), out)
        self.assertTrue(lines[i + 2].endswith("# verdict: CPU walked 4 levels, NPT has 4 (model: 5)"), out)

    def test_missing_npf_and_result_differs(self):
        emu = [("host5_npt4_demand", ["# vmmcall: rax=0x544d5653", "# verdict: x"], "not ok {n} {name}")] + REFERENCE[1:]
        rc, out = self.compare(log(scenarios=emu))
        self.assertEqual(rc, 1, out)
        self.assertRegex(self.row(out, "host5_npt4_demand"), r"\| not ok \(DIFF\) +DIFF +DIFF$")
        self.assertIn("(none)", out)

    def test_known_bug(self):
        bad = "# verdict: CPU walked 4 levels, NPT has 4 (model: 5)"
        emu = [mismatch("host5_npt4_demand", bad)] + REFERENCE[1:]
        self.know(("bochs", "3.0", "host5_npt4_demand", "# verdict: CPU walked 5 levels, NPT has 4 (model: 5)",
                   bad, "nested walk depth from the guest's CR4"))
        rc, out = self.compare(log(scenarios=emu), label="bochs-3.0.1")
        self.assertEqual(rc, 0, out)
        self.assertRegex(self.row(out, "host5_npt4_demand"), r"\| ok +=  +KNOWN$")
        self.assertIn("known bug: nested walk depth from the guest's CR4", out)
        # another version of the emulator is not covered by the entry
        rc, out = self.compare(log(scenarios=emu), label="bochs-3.1")
        self.assertEqual(rc, 1, out)

    def test_tsv_lines_for_new_disagreements(self):
        bad = "# verdict: CPU walked 4 levels, NPT has 4 (model: 5)"
        emu = [mismatch("host5_npt4_demand", bad)] + REFERENCE[1:]
        ref = self.write("ref.log", log(scenarios=REFERENCE))
        path = self.write("emu.log", log(scenarios=emu))
        p = subprocess.run([sys.executable, TOOL, "--known", self.known, "--tsv", "--compare", ref,
                            f"bochs-3.0={path}"], capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 1, p.stdout)
        want = "\t".join(("bochs", "3.0", "host5_npt4_demand",
                          "# verdict: CPU walked 5 levels, NPT has 4 (model: 5)", bad, "CAUSE"))
        self.assertIn(want, p.stdout.splitlines())

    def test_run_stops(self):
        emu = [REFERENCE[0]]
        rc, out = self.compare(log(scenarios=emu, end=False))
        self.assertEqual(rc, 1, out)
        self.assertRegex(self.row(out, "guest5_host4"), r"\| stopped \(DIFF\) +\? +\?$")
        self.assertRegex(self.row(out, "guest4_host4"), r"\| not run +\? +\?$")
        self.assertIn("(no result: the run stopped before it)", out)
        self.know(("bochs", "3.0", "guest5_host4", "ok 2 guest5_host4", "(no result: the run stopped before it)",
                   "stale linear-address width"))
        rc, out = self.compare(log(scenarios=emu, end=False))
        self.assertEqual(rc, 0, out)

    def test_incomplete_reference(self):
        rc, out = self.compare(log(scenarios=REFERENCE), ref_text=log(scenarios=REFERENCE, end=False))
        self.assertEqual(rc, 2, out)


def main():
    result = unittest.main(exit=False, verbosity=1).result
    failed = len(result.failures) + len(result.errors)
    print(f"emulators compare: {result.testsRun - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
