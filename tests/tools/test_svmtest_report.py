"""Tests of tools/svmtest-report: real serial logs captured here by booting
svmtest in QEMU (TCG), variations of them (cut off, CR-only, a result flipped,
microcode or CPU identity edited) for the fleet table, plus small synthetic
logs for the parsing edge cases.

Run from the repository root: tests/tools/run (or python3 this file).
The real-log tests need build/svmtest.elf and build/svmtest.iso (built with
make when missing) and qemu-system-x86_64; they are skipped without QEMU.
"""
import contextlib
import csv
import html.parser
import importlib.machinery
import importlib.util
import io
import json
import os
import re
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
    "max": (["-cpu", "max", "-kernel", ELF, "-append", "verbose=1"], 33),
    "milan": (["-cpu", "EPYC-Milan", "-kernel", ELF], 33),  # no LA57: SKIPs
    "probe": (["-cpu", "max", "-kernel", ELF, "-append", "only=probe"], 33),
    "hang": (["-cpu", "max", "-kernel", ELF, "-append", "selftest=guest-hang"], 35),
    "ud": (["-cpu", "max", "-kernel", ELF, "-append", "selftest=ud only=probe,gptfault4_l1_host4,gptfault4_l1_host5"], 39),
    "colour": (["-cpu", "max", "-kernel", ELF, "-append", "colour=red"], 39),
}


def load_tool():
    loader = importlib.machinery.SourceFileLoader("svmtest_report", TOOL)
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


TOOL_MODULE = load_tool()


def run_cli(*args, stdin=None):
    """The tool as a program: (exit status, stdout, stderr)."""
    p = subprocess.run([sys.executable, TOOL, *args], input=stdin, capture_output=True, timeout=60)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def run_tool(*args, stdin=None):
    """The same, in this process (a hundred interpreter starts cost seconds)."""
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin or b""))
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = TOOL_MODULE.main(list(args))
    except SystemExit as e:  # argparse's usage errors
        rc = e.code
    finally:
        sys.stdin = saved
    return rc, out.getvalue(), err.getvalue()


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
not ok 5 gptfault4_l1_host4 # ERROR kernel exception #GP
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
        self.assertIn("end marker missing: the run was cut off after result 1 of 16", err)
        self.assertEqual((rep["complete"], rep["outcome"], rep["summary"], rep["exit_status"]),
                         (False, "incomplete", None, None))
        # scenario 1 does not match only=all's catalog order: the others cannot be named
        self.assertEqual([s["name"] for s in rep["scenarios"]],
                         ["host5_npt4_demand"] + [f"unreported_{n}" for n in range(2, 17)])
        self.assertEqual([s["reported"] for s in rep["scenarios"]], [True] + [False] * 15)
        self.assertEqual({s["result"] for s in rep["scenarios"][1:]}, {"error"})
        self.assertIn("cut off while running", rep["scenarios"][1]["reason"])
        self.assertIn("# host5_npt5_prebuilt: host=5 npt=5", rep["scenarios"][1]["diagnostics"])
        self.assertIn("# host5_npt5_prebuilt: host=5 npt=5", rep["diagnostics"])  # where it died
        rc, root = junit(log)
        self.assertEqual(rc, 1)
        self.assertEqual((root.get("tests"), root.get("errors")), ("17", "16"))
        self.assertEqual(root.find("properties/property[@name='complete']").get("value"), "false")
        self.assertEqual(root.find("properties/property[@name='outcome']").get("value"), "incomplete")
        run = root.find("testcase[@name='incomplete']")
        self.assertEqual(run.get("classname"), "svmtest.run")
        self.assertIn("cut off", run.find("error").get("message"))
        self.assertEqual(root.find("testcase[@name='unreported_2']/error").get("type"), "NO_RESULT")

    def test_cut_off_run_names_the_scenarios_it_never_reported(self):
        log = crlf(HEADER.replace("only=all", "only=probe,gptfault4_l1_host4,gptfault4_l1_host5")
                   + "1..4\nok 1 probe_host4\n"
                   "# probe_host5: host=5 npt=4+5\n")
        rc, rep, err = report(log)
        self.assertEqual(rc, 1, err)
        self.assertEqual([(s["name"], s["group"], s["result"], s["reported"]) for s in rep["scenarios"]],
                         [("probe_host4", "probe", "pass", True), ("probe_host5", "probe", "error", False),
                          ("gptfault4_l1_host4", "gptfault", "error", False),
                          ("gptfault4_l1_host5", "gptfault", "error", False)])
        self.assertEqual(rep["scenarios"][1]["diagnostics"], ["# probe_host5: host=5 npt=4+5"])
        self.assertIn("never ran", rep["scenarios"][2]["reason"])

    def test_two_runs_in_one_log_reports_the_last_even_when_cut_off(self):
        first = HEADER + "1..1\nnot ok 1 host4_npt4_prebuilt\n# svmtest-end pass=0 fail=1 skip=0 error=0\n"
        second = (HEADER.replace("only=all", "only=probe") + "1..2\nok 1 probe_host4\nok 2 probe_host5\n"
                  "# svmtest-end pass=2 fail=0 skip=0 error=0\n")
        rc, rep, err = report(crlf("SeaBIOS\n" + first + "reboot noise\n" + second))
        self.assertEqual(rc, 0, err)
        self.assertEqual(rep["runs_in_log"], 2)
        self.assertEqual(rep["cmdline"]["only"], "probe")
        self.assertEqual([(s["name"], s["group"]) for s in rep["scenarios"]],
                         [("probe_host4", "probe"), ("probe_host5", "probe")])
        # a last run cut short is what is reported, never the complete one before it
        full = len(TOOL_MODULE.CATALOG)
        rc, rep, err = report(crlf(second + HEADER + f"1..{full}\nok 1 host4_npt4_prebuilt\n"))
        self.assertEqual((rc, rep["complete"], rep["outcome"], rep["cmdline"]["only"], rep["runs_in_log"]),
                         (1, False, "incomplete", "all", 2))
        self.assertEqual(len(rep["scenarios"]), full)
        self.assertEqual(rep["scenarios"][1]["name"], "host4_npt4_demand")  # named from the catalog
        self.assertIn("cut off", err)
        rc, root = junit(crlf(second + HEADER + f"1..{full}\n"))
        self.assertEqual(rc, 1)
        self.assertIsNotNone(root.find("testcase[@name='incomplete']/error"))
        self.assertEqual(int(root.get("errors")), full + 1)
        # a run cut off before its plan: nothing to name, still an error
        rc, rep, err = report(crlf(second + "# svmtest-begin version=9.8.7\nKTAP version 1\n"))
        self.assertEqual((rc, rep["complete"], rep["scenarios"]), (1, False, []))

    def test_empty_run_is_an_error(self):
        for body in ("", "KTAP version 1\n", HEADER.split("\n", 1)[1]):
            with self.subTest(body=body):
                log = crlf("# svmtest-begin version=9.8.7\n" + body
                           + "# svmtest-end pass=0 fail=0 skip=0 error=0\n")
                rc, rep, err = report(log)
                self.assertEqual(rc, 1)
                self.assertIn("empty run", err)
                self.assertEqual((rep["exit_status"], rep["outcome"], rep["complete"]), (39, "error", True))
                rc, root = junit(log)
                self.assertEqual((root.get("tests"), root.get("errors")), ("1", "1"))
                self.assertIn("empty run", root.find("testcase[@name='malformed']/error").text)

    def test_unknown_scenario_name_is_reported_not_filed_as_other(self):
        log = crlf(MIXED.replace("ok 2 probe_host4", "ok 2 probe_hots4"))
        rc, rep, err = report(log)
        self.assertEqual(rc, 1)
        self.assertIn("unknown scenario name 'probe_hots4' (result 2)", err)
        self.assertEqual(by_name(rep)["probe_hots4"]["group"], "unknown")
        self.assertIn("unknown scenario name", " ".join(rep["problems"]))
        _, root = junit(log)
        self.assertEqual(root.find("testcase[@name='probe_hots4']").get("classname"), "svmtest.unknown")
        self.assertIsNotNone(root.find("testcase[@name='malformed']/error"))

    def test_every_group_has_its_classname(self):
        names = ["host4_npt5_demand", "probe_host5", "guest5_host4", "gptfault5_l3_host4", "bits5_l2_rsvd",
                 "all_cpus"]
        body = "".join(f"ok {i} {n}\n" for i, n in enumerate(names, 1))
        rc, rep, err = report(crlf(HEADER + f"1..{len(names)}\n" + body
                                   + "# svmtest-end pass=6 fail=0 skip=0 error=0\n"))
        self.assertEqual(rc, 0, err)
        self.assertEqual([s["group"] for s in rep["scenarios"]],
                         ["reset", "probe", "guest", "gptfault", "bits", "cpus"])

    def test_cr_only_lf_and_crlf_logs_read_the_same(self):
        rc, lf, err = report(MIXED.encode())
        self.assertEqual(rc, 0, err)
        for name, data in (("crlf", crlf(MIXED)), ("cr", MIXED.replace("\n", "\r").encode()),
                           ("grub", b"Booting `svmtest'\n\r" + MIXED.replace("\n", "\n\r").encode())):
            with self.subTest(endings=name):
                rc, rep, err = report(data)
                self.assertEqual(rc, 0, err)
                self.assertEqual(rep, lf)
        self.assertEqual(len(lf["scenarios"]), 5)

    def test_begin_marker_after_a_stray_cr_or_garbage_on_its_line(self):
        rc, lf, err = report(MIXED.encode())
        for prefix in (b"\r", b"\x1b[0m\r", b"loading...", b"\x00\xff\xfe garbage \r"):
            with self.subTest(prefix=prefix):
                rc, rep, err = report(b"GRUB noise\n" + prefix + crlf(MIXED))
                self.assertEqual(rc, 0, err)
                self.assertEqual(rep, lf)

    def test_scenarios_announced_but_never_reported_are_errors(self):
        names = list(TOOL_MODULE.CATALOG)  # checked against a real boot in test_iso_boot_*
        full = len(names)
        self.assertEqual((names[-1], names[14], names[32]),
                         ("all_cpus", "gptfault4_l4_host4", "bits4_l4_nx"))
        for plan in (full - 1, full):  # without and with group cpus
            with self.subTest(plan=plan):
                body = "".join(f"ok {i} {n}\n" for i, n in enumerate(names[:5], 1))
                log = crlf(HEADER + f"1..{plan}\n" + body + "# exception #GP vector=13\n"
                           "not ok 6 host5_npt4_demnd # ERROR kernel exception #GP\n"
                           "# svmtest-end pass=5 fail=0 skip=0 error=1\n")
                good = log.replace(b"demnd", b"demand")
                rc, rep, err = report(good)
                self.assertEqual(rc, 0, err)
                sc = rep["scenarios"]
                self.assertEqual([s["name"] for s in sc], names[:plan])
                self.assertEqual([s["result"] for s in sc], ["pass"] * 5 + ["error"] * (plan - 5))
                self.assertEqual([s["reported"] for s in sc], [True] * 6 + [False] * (plan - 6))
                self.assertIn("never ran: the run ended after 6 host5_npt4_demand (kernel exception #GP)",
                              sc[6]["reason"])
                self.assertEqual((rep["exit_status"], rep["outcome"]), (39, "error"))
                rc, root = junit(good)
                self.assertEqual((root.get("tests"), root.get("errors")), (str(plan), str(plan - 5)))
                self.assertEqual(len(root.findall("testcase/error[@type='NO_RESULT']")), plan - 6)
                self.assertEqual(root.find(f"testcase[@name='{names[plan - 1]}']").get("classname"),
                                 "svmtest." + TOOL_MODULE.CATALOG[names[plan - 1]]["group"])
                # a misspelt name breaks the catalog match: unreported ones get placeholders
                rc, rep, err = report(log)
                self.assertEqual(rc, 1)
                self.assertEqual(rep["scenarios"][6]["name"], "unreported_7")
                self.assertEqual(rep["scenarios"][6]["group"], "unreported")

    def test_filters_name_the_unreported_scenarios(self):
        cmd = "# cmdline: only=reset,guest host=5 npt=4 fill=demand guest=5 npf_limit=16\n"
        log = crlf(HEADER.replace(HEADER.splitlines()[4] + "\n", cmd) + "1..2\n"
                   "not ok 1 host5_npt4_demand # ERROR kernel exception #PF\n"
                   "# svmtest-end pass=0 fail=0 skip=0 error=1\n")
        rc, rep, err = report(log)
        self.assertEqual(rc, 0, err)
        self.assertEqual([s["name"] for s in rep["scenarios"]], ["host5_npt4_demand", "guest5_host5"])

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
        self.assertIn("#GP", root.find("testcase[@name='gptfault4_l1_host4']/error").get("message"))
        self.assertEqual(root.find("testcase[@name='gptfault4_l1_host4']").get("classname"), "svmtest.gptfault")

    def test_summary_that_disagrees_with_results_is_malformed(self):
        rc, rep, err = report(crlf(MIXED.replace("pass=1 fail=2", "pass=2 fail=1")))
        self.assertEqual(rc, 1)
        self.assertIn("disagrees", err)

    def test_no_begin_marker_or_unreadable_input_is_status_2(self):
        self.assertEqual(run_cli(stdin=b"SeaBIOS\r\nno kernel here\r\n")[0], 2)
        self.assertEqual(run_cli(os.path.join(ROOT, "no", "such", "log"))[0], 2)


class Captured:
    """The serial logs of the BOOTS, booted once for every class that uses them
    (in parallel, each bounded by timeout 120)."""
    tmp, logs, status = None, {}, {}

    @classmethod
    def boot(cls):
        if Captured.tmp:
            return
        for target, path in (([], ELF), (["iso"], ISO)):
            if not os.path.exists(path):
                subprocess.run(["make", "-s", *target], cwd=ROOT, check=True, timeout=600)
        Captured.tmp = tempfile.TemporaryDirectory(prefix="svmtest-report-")
        base = ["timeout", "120", QEMU, "-accel", "tcg", "-m", "512", "-nodefaults", "-no-reboot",
                "-display", "none", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
        procs = {}
        for name, (args, _) in BOOTS.items():
            log = os.path.join(Captured.tmp.name, name + ".log")
            procs[name] = (log, subprocess.Popen(base + ["-serial", "file:" + log] + args, cwd=ROOT,
                                                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                                 stderr=subprocess.DEVNULL))
        for name, (log, proc) in procs.items():
            Captured.status[name] = proc.wait()
            with open(log, "rb") as f:
                Captured.logs[name] = f.read()


@unittest.skipUnless(shutil.which(QEMU), f"{QEMU} not found: real-log tests need QEMU")
class RealLogs(Captured, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.boot()

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
                self.assertEqual(len(rep["scenarios"]), rep["plan"])

    def test_junit_counts_equal_the_end_marker_plus_the_unreported(self):
        for name in BOOTS:
            with self.subTest(boot=name):
                rep = self.rep(name)
                summary = rep["summary"]
                unreported = rep["plan"] - sum(summary.values())
                rc, root = junit(self.logs[name])
                self.assertEqual(rc, 0)
                self.assertEqual(root.tag, "testsuite")
                self.assertEqual(root.get("name"), "svmtest")
                self.assertEqual(int(root.get("tests")), rep["plan"])
                self.assertEqual(int(root.get("failures")), summary["fail"])
                self.assertEqual(int(root.get("errors")), summary["error"] + unreported)
                self.assertEqual(int(root.get("skipped")), summary["skip"])
                self.assertEqual(len(root.findall("testcase")), int(root.get("tests")))
                self.assertEqual(len(root.findall("testcase/error[@type='NO_RESULT']")), unreported)

    def test_iso_boot_grub_noise_is_stripped(self):
        self.assertIn(b"\x1b[", self.logs["iso"])
        self.assertIn(b"GRUB", self.logs["iso"])
        rep = self.rep("iso")
        self.assertEqual(rep["runs_in_log"], 1)
        self.assertEqual(rep["cpu"]["vendor"], "AuthenticAMD")
        self.assertEqual(rep["features"]["la57"], 1)
        self.assertEqual(rep["cmdline"]["only"], "all")
        # the tool's catalog is the kernel's, name for name and in order
        # (a kernel without group cpus, an older one, stops one short)
        catalog = list(TOOL_MODULE.CATALOG.items())
        self.assertIn(rep["plan"], (len(catalog) - 1, len(catalog)))
        self.assertEqual([s["name"] for s in rep["scenarios"]], [n for n, _ in catalog[:rep["plan"]]])
        groups = [a["group"] for _, a in catalog[:rep["plan"]]]
        self.assertEqual(sum(rep["summary"].values()), rep["plan"])
        self.assertEqual(rep["summary"]["fail"] + rep["summary"]["error"], 0)
        self.assertEqual([s["group"] for s in rep["scenarios"]], groups)
        self.assertEqual([s["number"] for s in rep["scenarios"]], list(range(1, rep["plan"] + 1)))
        if rep["plan"] == len(catalog):  # a kernel with group cpus: the second CPU matches the first
            cpus = by_name(rep)["all_cpus"]
            self.assertEqual(cpus["result"], "pass")
            self.assertTrue(any("match the boot CPU" in line for line in cpus["diagnostics"]), cpus)

    def test_iso_log_cut_to_cr_only_line_ends_reads_the_same(self):
        lf = self.rep("iso")
        rc, cr, err = report(self.logs["iso"].replace(b"\r\n", b"\r").replace(b"\n", b"\r"))
        self.assertEqual(rc, 0, err)
        self.assertEqual(cr, lf)

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
        scen = by_name(self.rep("max"))  # verbose=1: every walk line
        self.assertEqual((scen["host4_npt4_prebuilt"]["npf"], scen["host4_npt4_prebuilt"]["storm"]), ([], None))
        self.assertEqual(scen["host5_npt4_prebuilt"]["storm"], None)  # prebuilt stops at the first #NPF
        self.assertEqual(len(scen["host5_npt4_prebuilt"]["npf"]), 1)
        gpt = scen["gptfault4_l1_host5"]["npf"][0]
        self.assertEqual((gpt["gpa"], gpt["exitinfo1"] >> 33 & 1), (0x16000, 1))
        self.assertIn("page-table-walk", gpt["bits"])
        self.assertIsNotNone(scen["gptfault4_l1_host5"]["walks"]["gwalk4"])
        nx = scen["bits5_l5_nx"]
        self.assertEqual(nx["npf"][0]["exitinfo1"], 0x100000015)
        self.assertIn("level-5 entry's NX bit (model: fetch fault)", nx["verdict"])
        self.assertIn("CPU walked 5 levels", scen["probe_host5"]["verdict"])
        self.assertIn("guest walked 5 levels", scen["guest5_host4"]["verdict"])

    def test_milan_host5_scenarios_skip_for_lack_of_la57(self):
        rep = self.rep("milan")
        self.assertEqual(rep["features"]["la57"], 0)
        self.assertIn("Milan", rep["cpu"]["name"])
        # every scenario of a 5-level host (the catalog's own depth, not its name)
        host5 = [s for s in rep["scenarios"] if TOOL_MODULE.CATALOG[s["name"]].get("host") == 5]
        self.assertEqual(len(host5), sum(a.get("host") == 5 for a in TOOL_MODULE.CATALOG.values()))
        self.assertGreater(len(host5), 0)
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
        self.assertEqual(len(rep["scenarios"]), rep["plan"])
        self.assertEqual({x["result"] for x in rep["scenarios"] if x is not s} - {"skip"}, {"pass"})
        _, root = junit(self.logs["hang"])
        fail = root.find("testcase[@name='host4_npt4_prebuilt']/failure")
        self.assertEqual(fail.get("type"), "TIMEOUT")
        self.assertIn("timer ticks", fail.text)

    def test_kernel_exception_is_an_error_and_the_rest_never_ran(self):
        rep = self.rep("ud")  # selftest=ud only=probe,gptfault4_l1_*: #UD in probe_host4
        self.assertEqual(rep["plan"], 4)
        self.assertEqual([(s["name"], s["result"], s["reported"]) for s in rep["scenarios"]],
                         [("probe_host4", "error", True), ("probe_host5", "error", False),
                          ("gptfault4_l1_host4", "error", False), ("gptfault4_l1_host5", "error", False)])
        s = rep["scenarios"][0]
        self.assertIn("#UD", s["reason"])
        self.assertTrue(any(line.startswith("# exception #UD") for line in s["diagnostics"]))
        self.assertIn("never ran: the run ended after 1 probe_host4", rep["scenarios"][3]["reason"])
        _, root = junit(self.logs["ud"])
        self.assertIn("cr2=", root.find("testcase[@name='probe_host4']/error").text)
        self.assertEqual(root.find("testcase[@name='gptfault4_l1_host5']/error").get("type"), "NO_RESULT")
        self.assertEqual(root.find("testcase[@name='gptfault4_l1_host5']").get("classname"), "svmtest.gptfault")

    def test_cut_off_capture_of_a_real_log(self):
        data = self.logs["milan"]
        cut = data[:data.index(b"probe_host5")]
        rc, rep, err = report(cut)
        self.assertEqual((rc, rep["complete"], rep["outcome"], rep["exit_status"]), (1, False, "incomplete", None))
        self.assertEqual(len(rep["scenarios"]), rep["plan"])
        unreported = [s["name"] for s in rep["scenarios"] if not s["reported"]]
        self.assertEqual(unreported[0], "probe_host5")
        self.assertIn("cut off while running", by_name(rep)["probe_host5"]["reason"])
        # the complete run before it (a reboot loop) does not stand in for it
        rc, rep2, err = report(self.logs["iso"] + cut)
        self.assertEqual((rc, rep2["runs_in_log"], rep2["complete"]), (1, 2, False))
        self.assertEqual(rep2["scenarios"], rep["scenarios"])

    def test_cmdline_error(self):
        rep = self.rep("colour")
        self.assertEqual(rep["plan"], 1)
        s = rep["scenarios"][0]
        self.assertEqual((s["name"], s["group"], s["result"]), ("cmdline", "cmdline", "error"))
        self.assertIn("colour", s["reason"])

    def test_file_arguments_and_stdin_agree(self):
        out = os.path.join(self.tmp.name, "out")
        log = os.path.join(self.tmp.name, "milan.log")
        rc, stdout, err = run_cli(log, "--junit", out + ".xml", "--json", out + ".json")
        self.assertEqual((rc, stdout), (0, ""), err)
        with open(out + ".json") as f:
            from_file = json.load(f)
        self.assertEqual(from_file, report(self.logs["milan"])[1])
        ET.parse(out + ".xml")


def set_microcode(log, value):
    """The log with its `# cpu:` line's microcode= set to value (added when absent)."""
    head, sep, rest = log.partition(b"# cpu: ")
    line, nl, tail = rest.partition(b"\r\n")
    if b" microcode=" in line:
        line = re.sub(rb" microcode=\S+", b" microcode=" + value, line)
    else:
        line = line.replace(b" name=", b" microcode=" + value + b" name=")
    return head + sep + line + nl + tail


def set_cpu(log, fields):
    head, sep, rest = log.partition(b"# cpu: ")
    line, nl, tail = rest.partition(b"\r\n")
    return head + sep + fields + nl + tail


def flip_to_not_ok(log, name):
    """The log with scenario name turned from ok into not ok, the end marker to match."""
    log, n = re.subn(rb"\nok (\d+) " + name.encode() + rb"\r", rb"\nnot ok \1 " + name.encode() + b"\r", log)
    assert n == 1, name
    end = re.search(rb"# svmtest-end pass=(\d+) fail=(\d+)", log)
    return (log[:end.start()] + b"# svmtest-end pass=%d fail=%d" % (int(end[1]) - 1, int(end[2]) + 1)
            + log[end.end():])


GENOA = (b'vendor=AuthenticAMD family=0x19 model=0x11 stepping=0x1 signature=0x00a10f11 '
         b'microcode=0x0a10113e name="AMD EPYC 9654 96-Core Processor"')
MILAN_UCODE, ODD_UCODE = b"0x0a0011d1", b"0x0a0011ce"


@unittest.skipUnless(shutil.which(QEMU), f"{QEMU} not found: real-log tests need QEMU")
class Fleet(Captured, unittest.TestCase):
    """The fleet table over the captured logs and variations of them: QEMU max
    (full matrix, only=probe, guest-hang, one result flipped), EPYC-Milan three
    times with one odd microcode, and a Genoa identity pasted onto a max log."""

    @classmethod
    def setUpClass(cls):
        cls.boot()
        cls.dir = os.path.join(cls.tmp.name, "fleet")
        os.makedirs(os.path.join(cls.dir, "rack2"))
        files = {name: cls.logs[name] for name in ("max", "probe", "hang", "milan")}  # one CPU each
        files["milan"] = set_microcode(cls.logs["milan"], MILAN_UCODE)
        files["rack2/milan-b"] = set_microcode(cls.logs["milan"], ODD_UCODE)
        files["rack2/milan-c"] = files["milan"]
        files["max-flip"] = flip_to_not_ok(cls.logs["max"], "host5_npt4_demand")
        files["genoa"] = set_cpu(cls.logs["max"], GENOA)
        for name, data in files.items():
            with open(os.path.join(cls.dir, name + ".log"), "wb") as f:
                f.write(data)
        cls.names = sorted(n + ".log" for n in files)

    def fleet_json(self, *args):
        rc, out, err = run_tool("--format", "json", *args)
        self.assertEqual(rc, 0, err)
        return {m["log"]: m for m in json.loads(out)["machines"]}, json.loads(out)

    def test_json_disagreements_walk_depths_and_identity(self):
        rows, fl = self.fleet_json(self.dir)
        self.assertEqual(sorted(rows), self.names)
        self.assertEqual({n: r["disagrees"] for n, r in rows.items() if r["disagrees"]},
                         {"hang.log": ["host4_npt4_prebuilt"], "max-flip.log": ["host5_npt4_demand"],
                          "rack2/milan-b.log": ["microcode"]})
        self.assertEqual(rows["max.log"]["walk"], {"4": 4, "5": 5})
        self.assertEqual(rows["probe.log"]["walk"], {"4": 4, "5": 5})
        self.assertEqual(rows["milan.log"]["walk"], {"4": 4, "5": "skip"})
        self.assertEqual(rows["genoa.log"]["amd_family_model_stepping"], "19h/11h/1")
        self.assertEqual(rows["genoa.log"]["family_model_stepping"], "0x19/0x11/0x1")
        self.assertEqual((rows["genoa.log"]["signature"], rows["genoa.log"]["microcode"]),
                         ("0x00a10f11", "0x0a10113e"))
        self.assertEqual(rows["milan.log"]["amd_family_model_stepping"], "19h/01h/1")
        self.assertEqual(rows["max.log"]["amd_family_model_stepping"], "0Fh/6Bh/1")
        self.assertEqual(rows["rack2/milan-b.log"]["microcode"], ODD_UCODE.decode())
        self.assertEqual(rows["hang.log"]["results"]["host4_npt4_prebuilt"], "timeout")
        self.assertEqual(sorted(rows["probe.log"]["results"]), ["probe_host4", "probe_host5"])
        self.assertEqual((rows["max-flip.log"]["outcome"], rows["hang.log"]["outcome"]), ("fail", "fail"))
        models = {m["cpu_name"]: m for m in fl["models"]}
        self.assertEqual(len(models), 3)
        qemu = models["QEMU TCG CPU version 2.5+"]
        self.assertEqual(qemu["machines"], ["hang.log", "max-flip.log", "max.log", "probe.log"])
        self.assertEqual((qemu["majority"]["host4_npt4_prebuilt"], qemu["majority"]["walk_host5"]), ("pass", 5))
        self.assertEqual(qemu["no_majority"], [])
        self.assertEqual(models["AMD EPYC 9654 96-Core Processor"]["machines"], ["genoa.log"])

    def test_no_majority_marks_every_machine(self):
        rows, fl = self.fleet_json(os.path.join(self.dir, "max.log"), os.path.join(self.dir, "max-flip.log"))
        self.assertEqual([r["disagrees"] for r in rows.values()], [["host5_npt4_demand"]] * 2)
        self.assertEqual([r["no_majority"] for r in rows.values()], [["host5_npt4_demand"]] * 2)
        rc, out, err = run_tool(os.path.join(self.dir, "max.log"), os.path.join(self.dir, "max-flip.log"))
        self.assertEqual(out.count("host5_npt4_demand (no majority)"), 2)
        self.assertEqual(fl["models"][0]["no_majority"], ["host5_npt4_demand"])

    def test_text_table(self):
        rc, out, err = run_tool(self.dir)
        self.assertEqual(rc, 0, err)
        lines = out.splitlines()
        header = re.split(r"\s{2,}", lines[0])
        self.assertEqual(header[:8], ["log", "cpu", "f/m/s", "AMD f/m/s", "microcode", "walk@h4", "walk@h5",
                                      "outcome"])
        self.assertEqual(header[8:10], ["h4n4p", "h4n4d"])
        self.assertEqual(header[-1], "disagrees with model majority")
        rows = {cells[0]: dict(zip(header, cells)) for cells in (re.split(r"\s{2,}", x) for x in lines[2:])
                if cells[0].endswith(".log")}
        self.assertEqual(sorted(rows), self.names)
        self.assertTrue(all(len(r) == len(header) for r in rows.values()))
        self.assertEqual(rows["hang.log"]["h4n4p"], "TIMEOUT*")
        self.assertEqual(rows["max-flip.log"]["h5n4d"], "FAIL*")
        self.assertEqual(rows["rack2/milan-b.log"]["microcode"], ODD_UCODE.decode() + "*")
        self.assertEqual(rows["rack2/milan-b.log"]["disagrees with model majority"], "microcode")
        self.assertEqual((rows["milan.log"]["walk@h4"], rows["milan.log"]["walk@h5"]), ("4", "skip"))
        self.assertEqual(rows["genoa.log"]["AMD f/m/s"], "19h/11h/1")
        self.assertEqual((rows["probe.log"]["h4n4p"], rows["probe.log"]["pr5"]), ("-", "ok"))
        self.assertNotIn("*", lines[2 + self.names.index("max.log")])
        self.assertIn("h5n4d=host5_npt4_demand", out)

    def test_markdown_table(self):
        rc, out, err = run_tool("--format", "markdown", self.dir)
        self.assertEqual(rc, 0, err)
        rows = [x for x in out.splitlines() if x.startswith("|")]
        self.assertEqual(len(rows), 2 + len(self.names))
        self.assertRegex(rows[1], r"^\|(---\|)+$")
        cells = [[c.strip() for c in r.strip("|").split("|")] for r in rows]
        self.assertTrue(all(len(c) == len(cells[0]) for c in cells))
        by_log = {c[0]: dict(zip(cells[0], c)) for c in cells[2:]}
        self.assertEqual(by_log["hang.log"]["h4n4p"], "**TIMEOUT**")
        self.assertEqual(by_log["max.log"]["h4n4p"], "ok")
        self.assertNotIn("**", rows[2 + self.names.index("max.log")])

    def test_csv_table(self):
        rc, out, err = run_tool("--format", "csv", self.dir)
        self.assertEqual(rc, 0, err)
        rows = {r["log"]: r for r in csv.DictReader(io.StringIO(out))}
        self.assertEqual(sorted(rows), self.names)
        self.assertEqual(rows["rack2/milan-b.log"]["disagrees"], "microcode")
        self.assertEqual(rows["milan.log"]["microcode"], MILAN_UCODE.decode())
        self.assertEqual((rows["milan.log"]["walk_host4"], rows["milan.log"]["walk_host5"]), ("4", "skip"))
        self.assertEqual(rows["genoa.log"]["amd_family_model_stepping"], "19h/11h/1")
        self.assertEqual(rows["hang.log"]["host4_npt4_prebuilt"], "timeout")
        self.assertEqual(rows["max-flip.log"]["host5_npt4_demand"], "fail")
        self.assertEqual(rows["probe.log"]["host5_npt4_demand"], "")
        self.assertEqual(rows["max.log"]["disagrees"], "")

    def test_html_page_is_self_contained(self):
        rc, out, err = run_tool("--format", "html", self.dir)
        self.assertEqual(rc, 0, err)

        class Page(html.parser.HTMLParser):
            def __init__(self):
                super().__init__()
                self.tags, self.rows, self.cell, self.open = [], [], None, []

            def handle_starttag(self, tag, attrs):
                self.tags.append((tag, dict(attrs)))
                if tag == "tr":
                    self.rows.append([])
                elif tag in ("td", "th"):
                    self.cell = [dict(attrs).get("class", ""), ""]
                    self.rows[-1].append(self.cell)

            def handle_data(self, data):
                if self.cell is not None:
                    self.cell[1] += data

            def handle_endtag(self, tag):
                if tag in ("td", "th"):
                    self.cell = None

        page = Page()
        page.feed(out)
        page.close()
        self.assertTrue(out.startswith("<!DOCTYPE html>"))
        names = [t for t, _ in page.tags]
        self.assertEqual((names.count("html"), names.count("table")), (1, 1))
        for tag, attrs in page.tags:  # no scripts, no external assets
            self.assertNotIn(tag, ("script", "link", "img", "iframe", "object"))
            self.assertFalse({"src", "href", "onload", "onclick"} & set(attrs), tag)
        self.assertNotIn("url(", out)
        header = [c[1] for c in page.rows[0]]
        rows = {r[0][1]: {h: c for h, c in zip(header, r)} for r in page.rows[1:]}
        self.assertEqual(sorted(rows), self.names)
        self.assertEqual(rows["hang.log"]["h4n4p"], ["TIMEOUT dis", "TIMEOUT *"])
        self.assertEqual(rows["max.log"]["h4n4p"], ["ok", "ok"])
        self.assertEqual(rows["rack2/milan-b.log"]["microcode"][0], "dis")
        dis = sorted((log, h) for log, r in rows.items() for h, c in r.items() if "dis" in c[0].split())
        self.assertEqual(dis, [("hang.log", "h4n4p"), ("max-flip.log", "h5n4d"),
                               ("rack2/milan-b.log", "microcode")])

    def test_files_as_arguments_and_a_single_log_as_a_table(self):
        logs = [os.path.join(self.dir, n) for n in ("max.log", "rack2/milan-b.log")]
        rc, out, err = run_cli(*logs)
        self.assertEqual(rc, 0, err)
        self.assertEqual(len([x for x in out.splitlines() if x.startswith(self.dir)]), 2)
        rc, out, err = run_tool("--format", "csv", logs[1])
        self.assertEqual(rc, 0, err)
        self.assertEqual([r["log"] for r in csv.DictReader(io.StringIO(out))], [logs[1]])
        self.assertEqual(run_cli("--junit", "-", *logs)[0], 2)
        # several directories: logs named by their path; a log reached twice counts once
        rows, _ = self.fleet_json(self.dir, os.path.join(self.dir, "rack2"), logs[0])
        self.assertEqual(sorted(rows), sorted(os.path.join(self.dir, n) for n in self.names))
        self.assertEqual(rows[logs[1]]["disagrees"], ["microcode"])

    def test_cut_off_and_unreadable_logs_are_rows_and_status_1(self):
        bad = os.path.join(self.tmp.name, "bad")
        shutil.copytree(self.dir, bad)
        milan = set_microcode(self.logs["milan"], MILAN_UCODE)
        with open(os.path.join(bad, "cut.log"), "wb") as f:
            f.write(milan[:milan.index(b"probe_host5")])
        with open(os.path.join(bad, "notes.txt"), "w") as f:
            f.write("rack 2 moved to room B\n")
        rc, out, err = run_tool("--format", "json", bad)
        self.assertEqual(rc, 1)
        self.assertIn("cut.log: end marker missing", err)
        self.assertIn("notes.txt: no '# svmtest-begin' marker", err)
        rows = {m["log"]: m for m in json.loads(out)["machines"]}
        self.assertEqual((rows["cut.log"]["outcome"], rows["notes.txt"]["outcome"]), ("incomplete", "no report"))
        self.assertEqual(rows["cut.log"]["results"]["probe_host5"], "no result")
        self.assertEqual(rows["cut.log"]["disagrees"], [])  # what it did report agrees with Milan
        empty = os.path.join(self.tmp.name, "empty")
        os.makedirs(empty)
        shutil.copy(os.path.join(bad, "notes.txt"), empty)
        self.assertEqual(run_tool(empty)[0], 2)


def main():
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    try:
        result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    finally:
        if Captured.tmp:
            Captured.tmp.cleanup()
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
