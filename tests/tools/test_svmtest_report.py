"""Tests of tools/svmtest-report: real serial logs captured here by booting
svmtest in QEMU (TCG), plus small synthetic logs for the parsing edge cases.

Run from the repository root: tests/tools/run (or python3 this file).
The real-log tests need build/svmtest.elf and build/svmtest.iso (built with
make when missing) and qemu-system-x86_64; they are skipped without QEMU.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TOOL = os.path.join(ROOT, "tools", "svmtest-report")
ELF = os.path.join(ROOT, "build", "svmtest.elf")
ISO = os.path.join(ROOT, "build", "svmtest.iso")
QEMU = "qemu-system-x86_64"

# name -> (extra QEMU arguments, QEMU exit status the kernel must give)
BOOTS = {
    "iso": (["-cpu", "max", "-smp", "2", "-cdrom", ISO], 33),  # full matrix behind GRUB menu noise
    "milan": (["-cpu", "EPYC-Milan", "-kernel", ELF], 33),  # no LA57: SKIPs
    "hang": (["-cpu", "max", "-kernel", ELF, "-append", "selftest=guest-hang"], 35),
    "ud": (["-cpu", "max", "-kernel", ELF, "-append", "selftest=ud"], 39),
    "colour": (["-cpu", "max", "-kernel", ELF, "-append", "colour=red"], 39),
}


def run_tool(*args, stdin=None):
    p = subprocess.run([sys.executable, TOOL, *args], input=stdin, capture_output=True, timeout=60)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def report(log_bytes):
    rc, out, err = run_tool(stdin=log_bytes)
    return rc, json.loads(out) if out else None, err


def junit(log_bytes):
    rc, out, err = run_tool("--junit", "-", stdin=log_bytes)
    return rc, ET.fromstring(out.encode())


def by_name(rep):
    return {s["name"]: s for s in rep["scenarios"]}


def crlf(text):
    return text.replace("\n", "\r\n").encode()


HEADER = """# svmtest-begin version=9.8.7
KTAP version 1
# cpu: vendor=AuthenticAMD family=0x19 model=0x11 stepping=0x1 name="AMD EPYC 9654 96-Core Processor"
# features: svm=1 npt=1 la57=1 nx=1 asids=32768
# cmdline: only=all host=all npt=all fill=all guest=all npf_limit=16
"""
NPF_SCENARIO = """# host5_npt4_demand: host=5 npt=4 ncr3=0x0000000000116000 guest=reset-vector fill=demand
# npf: gpa=0x00000000fffffff0 exitinfo1=0x0000000100000014 rip=0x000000000000fff0 [not-present user fetch final]
# npf: same fault 16 times: storm
# walk5 0xfffff000: L5[0]=0x0000000000119027 L4[0]=0x0000000000000000 not-present
# walk4 0xfffff000: L4[0]=0x0000000000119027 L3[3]=0x000000000011a007 -> 0x0000000000118000
# verdict: CPU walked 4 levels, NPT has 4 (model: 5)
"""
MIXED = HEADER + "1..5\n" + NPF_SCENARIO + """not ok 1 host5_npt4_demand
ok 2 probe_host4
ok 3 probe_host5 # SKIP CPU has no LA57
# guest4_host4: host=4 npt=4 guest=4-level
# guest made no report within 120 timer ticks
not ok 4 guest4_host4 # TIMEOUT guest never exited
# exception #GP vector=13 error_code=0x0 rip=0x0000000000103770
not ok 5 gptfault_host4 # ERROR kernel exception #GP
# svmtest-end pass=1 fail=2 skip=1 error=1
"""


class SyntheticLogs(unittest.TestCase):
    def test_ansi_escapes_cr_and_firmware_noise_are_dropped(self):
        noise = ("\x1b[H\x1b[J\x1b[1;1H\x1b[2;24HGNU GRUB  version 2.06\r\n\x1b[7m*svmtest\x1b[m"
                 "\x1b]0;title\x07\x1b(B SeaBIOS 1.16\r\n  Booting `svmtest'\r\n\r\x1b[m")
        log = noise.encode() + crlf(HEADER + "1..1\n" + NPF_SCENARIO + "ok 1 host5_npt4_demand\n"
                                    "# svmtest-end pass=1 fail=0 skip=0 error=0\n") + b"\x1b[?25h"
        rc, rep, err = report(log)
        self.assertEqual(rc, 0, err)
        self.assertEqual(rep["version"], "9.8.7")
        self.assertEqual(rep["cpu"]["name"], "AMD EPYC 9654 96-Core Processor")
        self.assertEqual(rep["features"], {"svm": 1, "npt": 1, "la57": 1, "nx": 1, "asids": 32768})
        self.assertEqual(rep["cmdline"]["npf_limit"], "16")
        self.assertEqual((rep["plan"], rep["exit_status"], rep["complete"]), (1, 33, True))
        s = rep["scenarios"][0]
        self.assertEqual((s["name"], s["group"], s["result"], s["storm"]),
                         ("host5_npt4_demand", "reset", "pass", 16))
        self.assertEqual(s["npf"], [{"gpa": 0xfffffff0, "exitinfo1": 0x100000014, "rip": 0xfff0,
                                     "bits": ["not-present", "user", "fetch", "final"]}])
        dump = json.dumps(rep)
        self.assertNotIn("\\r", dump)
        self.assertNotIn("\\u001b", dump)
        self.assertNotIn("GRUB", dump)

    def test_missing_end_marker_reports_what_is_there(self):
        log = crlf(HEADER + "1..16\n" + NPF_SCENARIO + "ok 1 host5_npt4_demand\n"
                   "# host5_npt5_prebuilt: host=5 npt=5\n# npf: gpa=0x0000000000001000 "
                   "exitinfo1=0x0000000100000006 rip=0x000000000000f019 [not-present write user final]\n")
        rc, rep, err = report(log)
        self.assertEqual(rc, 1)
        self.assertIn("end marker missing", err)
        self.assertFalse(rep["complete"])
        self.assertIsNone(rep["summary"])
        self.assertIsNone(rep["exit_status"])
        self.assertEqual([s["name"] for s in rep["scenarios"]], ["host5_npt4_demand"])
        self.assertIn("# host5_npt5_prebuilt: host=5 npt=5", rep["diagnostics"])  # where it died
        rc, root = junit(log)
        self.assertEqual((root.get("tests"), root.get("errors")), ("2", "1"))
        self.assertIsNotNone(root.find("testcase[@name='incomplete']/error"))

    def test_two_runs_in_one_log_takes_the_last_complete(self):
        first = HEADER + "1..1\nnot ok 1 host4_npt4_prebuilt\n# svmtest-end pass=0 fail=1 skip=0 error=0\n"
        second = (HEADER.replace("only=all", "only=probe") + "1..2\nok 1 probe_host4\nok 2 probe_host5\n"
                  "# svmtest-end pass=2 fail=0 skip=0 error=0\n")
        rc, rep, err = report(crlf("SeaBIOS\n" + first + "reboot noise\n" + second))
        self.assertEqual(rc, 0, err)
        self.assertEqual(rep["runs_in_log"], 2)
        self.assertEqual(rep["cmdline"]["only"], "probe")
        self.assertEqual([(s["name"], s["group"]) for s in rep["scenarios"]],
                         [("probe_host4", "probe"), ("probe_host5", "probe")])
        # a last run cut short does not hide the complete one before it
        rc, rep, err = report(crlf(second + HEADER + "1..16\n"))
        self.assertEqual((rc, rep["complete"], rep["cmdline"]["only"]), (0, True, "probe"))
        self.assertIn("incomplete", err)

    def test_directives_map_to_results_and_junit_elements(self):
        rc, rep, err = report(crlf(MIXED))
        self.assertEqual(rc, 0, err)
        self.assertEqual([(s["result"], s["reason"]) for s in rep["scenarios"]],
                         [("fail", None), ("pass", None), ("skip", "CPU has no LA57"),
                          ("timeout", "guest never exited"), ("error", "kernel exception #GP")])
        self.assertEqual(rep["exit_status"], 39)
        self.assertEqual(by_name(rep)["host5_npt4_demand"]["verdict"],
                         "CPU walked 4 levels, NPT has 4 (model: 5)")
        _, root = junit(crlf(MIXED))
        self.assertEqual([root.get(k) for k in ("tests", "failures", "errors", "skipped")],
                         ["5", "2", "1", "1"])
        fail = root.find("testcase[@name='host5_npt4_demand']/failure")
        self.assertIn("model: 5", fail.get("message"))
        self.assertIn("# npf: same fault 16 times: storm", fail.text)
        self.assertEqual(root.find("testcase[@name='probe_host5']/skipped").get("message"), "CPU has no LA57")
        self.assertEqual(root.find("testcase[@name='guest4_host4']/failure").get("type"), "TIMEOUT")
        self.assertIn("#GP", root.find("testcase[@name='gptfault_host4']/error").get("message"))
        self.assertEqual(root.find("testcase[@name='gptfault_host4']").get("classname"), "svmtest.gptfault")

    def test_summary_that_disagrees_with_results_is_malformed(self):
        rc, rep, err = report(crlf(MIXED.replace("pass=1 fail=2", "pass=2 fail=1")))
        self.assertEqual(rc, 1)
        self.assertIn("disagrees", err)

    def test_no_begin_marker_or_unreadable_input_is_status_2(self):
        self.assertEqual(run_tool(stdin=b"SeaBIOS\r\nno kernel here\r\n")[0], 2)
        self.assertEqual(run_tool(os.path.join(ROOT, "no", "such", "log"))[0], 2)


@unittest.skipUnless(shutil.which(QEMU), f"{QEMU} not found: real-log tests need QEMU")
class RealLogs(unittest.TestCase):
    """Boots svmtest len(BOOTS) times (in parallel, each bounded by timeout 120)."""
    logs, status = {}, {}

    @classmethod
    def setUpClass(cls):
        for target, path in (([], ELF), (["iso"], ISO)):
            if not os.path.exists(path):
                subprocess.run(["make", "-s", *target], cwd=ROOT, check=True, timeout=600)
        cls.tmp = tempfile.TemporaryDirectory(prefix="svmtest-report-")
        base = ["timeout", "120", QEMU, "-accel", "tcg", "-m", "512", "-nodefaults", "-no-reboot",
                "-display", "none", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
        procs = {}
        for name, (args, _) in BOOTS.items():
            log = os.path.join(cls.tmp.name, name + ".log")
            procs[name] = (log, subprocess.Popen(base + ["-serial", "file:" + log] + args, cwd=ROOT,
                                                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                                 stderr=subprocess.DEVNULL))
        for name, (log, proc) in procs.items():
            cls.status[name] = proc.wait()
            with open(log, "rb") as f:
                cls.logs[name] = f.read()

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def rep(self, name):
        rc, rep, err = report(self.logs[name])
        self.assertEqual(rc, 0, f"{name}: {err}")
        return rep

    def test_qemu_status_is_the_expected_one_and_the_implied_one(self):
        for name, (_, expected) in BOOTS.items():
            with self.subTest(boot=name):
                self.assertEqual(self.status[name], expected)
                rep = self.rep(name)
                self.assertEqual(rep["exit_status"], expected)
                self.assertTrue(rep["complete"])
                self.assertEqual(rep["problems"], [])

    def test_junit_counts_equal_the_end_marker(self):
        for name in BOOTS:
            with self.subTest(boot=name):
                summary = self.rep(name)["summary"]
                rc, root = junit(self.logs[name])
                self.assertEqual(rc, 0)
                self.assertEqual(root.tag, "testsuite")
                self.assertEqual(root.get("name"), "svmtest")
                self.assertEqual(int(root.get("tests")), sum(summary.values()))
                self.assertEqual(int(root.get("failures")), summary["fail"])
                self.assertEqual(int(root.get("errors")), summary["error"])
                self.assertEqual(int(root.get("skipped")), summary["skip"])
                self.assertEqual(len(root.findall("testcase")), int(root.get("tests")))

    def test_iso_boot_grub_noise_is_stripped(self):
        self.assertIn(b"\x1b[", self.logs["iso"])
        self.assertIn(b"GRUB", self.logs["iso"])
        rep = self.rep("iso")
        self.assertEqual(rep["runs_in_log"], 1)
        self.assertEqual(rep["cpu"]["vendor"], "AuthenticAMD")
        self.assertEqual(rep["features"]["la57"], 1)
        self.assertEqual(rep["cmdline"]["only"], "all")
        self.assertEqual(rep["plan"], 17)
        self.assertEqual(rep["summary"], {"pass": 17, "fail": 0, "skip": 0, "error": 0})
        groups = [s["group"] for s in rep["scenarios"]]
        self.assertEqual(groups, ["reset"] * 8 + ["probe"] * 2 + ["guest"] * 4 + ["gptfault"] * 2 + ["cpus"])
        self.assertEqual([s["number"] for s in rep["scenarios"]], list(range(1, 18)))
        self.assertIn("# all_cpus: 1 of 1 application processors match the boot CPU",
                      by_name(rep)["all_cpus"]["diagnostics"])

    def test_host5_npt4_demand_is_the_kvm_storm(self):
        s = by_name(self.rep("iso"))["host5_npt4_demand"]
        self.assertEqual(s["result"], "pass")
        self.assertEqual(s["npf"][0]["gpa"], 0xfffffff0)
        self.assertEqual(s["npf"][0]["exitinfo1"], 0x100000014)
        self.assertEqual(s["npf"][0]["rip"], 0xfff0)
        self.assertEqual(s["npf"][0]["bits"], ["not-present", "user", "fetch", "final"])
        self.assertEqual(s["storm"], 16)
        self.assertIn("CPU walked 5 levels, NPT has 4", s["verdict"])
        self.assertTrue(s["walks"]["walk5"].endswith("not-present"))
        self.assertIn("-> 0x", s["walks"]["walk4"])
        self.assertIsNone(s["walks"]["gwalk5"])
        self.assertIn("# npf: same fault 16 times: storm", s["diagnostics"])

    def test_other_scenarios_carry_their_diagnostics(self):
        scen = by_name(self.rep("iso"))
        self.assertEqual((scen["host4_npt4_prebuilt"]["npf"], scen["host4_npt4_prebuilt"]["storm"]), ([], None))
        self.assertEqual(scen["host5_npt4_prebuilt"]["storm"], None)  # prebuilt stops at the first #NPF
        self.assertEqual(len(scen["host5_npt4_prebuilt"]["npf"]), 1)
        gpt = scen["gptfault_host5"]["npf"][0]
        self.assertEqual((gpt["gpa"], gpt["exitinfo1"] >> 33 & 1), (0x15000, 1))
        self.assertIn("page-table-walk", gpt["bits"])
        self.assertIsNotNone(scen["gptfault_host5"]["walks"]["gwalk4"])
        self.assertIn("rbx=5", " ".join(scen["probe_host5"]["diagnostics"]))
        self.assertIn("guest walked 5 levels", scen["guest5_host4"]["verdict"])

    def test_milan_host5_scenarios_skip_for_lack_of_la57(self):
        rep = self.rep("milan")
        self.assertEqual(rep["features"]["la57"], 0)
        self.assertIn("Milan", rep["cpu"]["name"])
        host5 = [s for s in rep["scenarios"] if "host5" in s["name"]]
        self.assertEqual(len(host5), 8)
        for s in host5:
            self.assertEqual(s["result"], "skip", s["name"])
            self.assertIn("LA57", s["reason"])
        skipped = [s["name"] for s in rep["scenarios"] if s["result"] == "skip"]
        self.assertEqual(len(skipped), rep["summary"]["skip"])
        self.assertIn("guest5_host4", skipped)  # a 5-level guest needs LA57 too
        self.assertEqual(by_name(rep)["host4_npt5_demand"]["storm"], 16)
        _, root = junit(self.logs["milan"])
        self.assertIn("LA57", root.find("testcase[@name='host5_npt4_demand']/skipped").get("message"))

    def test_guest_hang_is_a_timeout_and_the_others_still_run(self):
        rep = self.rep("hang")
        s = by_name(rep)["host4_npt4_prebuilt"]
        self.assertEqual(s["result"], "timeout")
        self.assertIn("never exited", s["reason"])
        self.assertEqual(len(rep["scenarios"]), 17)   # all_cpus: SKIP single CPU
        self.assertEqual(sum(x["result"] == "pass" for x in rep["scenarios"]), 15)
        _, root = junit(self.logs["hang"])
        fail = root.find("testcase[@name='host4_npt4_prebuilt']/failure")
        self.assertEqual(fail.get("type"), "TIMEOUT")
        self.assertIn("timer ticks", fail.text)

    def test_kernel_exception_is_an_error(self):
        rep = self.rep("ud")
        self.assertEqual((rep["plan"], len(rep["scenarios"])), (17, 1))
        s = rep["scenarios"][0]
        self.assertEqual((s["name"], s["result"]), ("host4_npt4_prebuilt", "error"))
        self.assertIn("#UD", s["reason"])
        self.assertTrue(any(line.startswith("# exception #UD") for line in s["diagnostics"]))
        _, root = junit(self.logs["ud"])
        self.assertIn("cr2=", root.find("testcase/error").text)

    def test_cmdline_error(self):
        rep = self.rep("colour")
        self.assertEqual(rep["plan"], 1)
        s = rep["scenarios"][0]
        self.assertEqual((s["name"], s["group"], s["result"]), ("cmdline", "cmdline", "error"))
        self.assertIn("colour", s["reason"])

    def test_file_arguments_and_stdin_agree(self):
        out = os.path.join(self.tmp.name, "out")
        log = os.path.join(self.tmp.name, "milan.log")
        rc, stdout, err = run_tool(log, "--junit", out + ".xml", "--json", out + ".json")
        self.assertEqual((rc, stdout), (0, ""), err)
        with open(out + ".json") as f:
            from_file = json.load(f)
        self.assertEqual(from_file, report(self.logs["milan"])[1])
        ET.parse(out + ".xml")


def main():
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    # count test methods: a method with several failing subtests fails once
    failed = {getattr(t, "test_case", t).id() for t, _ in result.failures + result.errors}
    failed |= {t.id() for t in result.unexpectedSuccesses}
    skipped = len(result.skipped)
    passed = result.testsRun - len(failed) - skipped
    if skipped:
        print(f"({skipped} skipped)")
    print(f"{passed} passed, {len(failed)} failed")
    return 1 if failed or not result.wasSuccessful() else 0


if __name__ == "__main__":
    sys.exit(main())
