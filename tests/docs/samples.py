#!/usr/bin/env python3
"""The report samples in README.md, CHANGELOG.md and docs/*.md, checked
against real runs of this build.

A sample is a fenced block right after a marker comment naming where it
comes from:

  <!-- sample: tools/run-qemu build/svmtest.elf 'only=probe verbose=1' -->
  <!-- sample: CPU=EPYC-Milan tools/run-qemu build/svmtest.elf -->
  <!-- sample: KERNEL=5.10 ARGS=only=reset tools/kvm-nested build/svmtest.elf -->
  <!-- sample: case t_mce_in_guest -->
  <!-- sample: recorded: Bochs 3.0 without its fixes (make emulators BOCHS30=1) -->

A command is `[VAR=value ...] tools/run-qemu|tools/kvm-nested IMAGE [ARGS]`
(what a reader types; its stdout and stderr are the log); `case t_name` is
a QEMU case of tests/qemu/cases*.sh, whose last boot's log is the log;
several sources are joined with ` ;; ` and their logs read one after the
other. `recorded:` names a run that make check cannot repeat (an emulator
built from source for minutes, a lab machine); it is not checked, and says
how to repeat it.

Every line of a sample must appear in the log as a whole line, in the
sample's order (CR stripped); a line `...` stands for lines left out. A
fenced block that holds report lines (`# svmtest-begin`, `ok N`, `# npf:`,
...) without a marker is an error, so a sample cannot go unchecked by
accident.

  samples.py plan              one line per distinct source: ID, TAB, source
  samples.py check LOGDIR      every sample against LOGDIR/ID.log
  samples.py update LOGDIR     rewrite sample lines that changed only in
                               their numbers (addresses, counts) from the log
"""
import hashlib
import os
import re
import shlex
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), '..', '..'))
MARKER = re.compile(r'^ *<!-- sample: (.*?) -->$')
FENCE = re.compile(r'^ *(```|~~~)')
REPORTISH = re.compile(r'^(# svmtest-(begin|end)|(not )?ok [0-9]+ [a-z0-9_]+|# npf: |# verdict: |# walk[45] )')
ENV_WORD = re.compile(r'^[A-Z][A-Z0-9_]*=')
TOOLS = ('tools/run-qemu', 'tools/kvm-nested')
IMAGES = ('build/svmtest.elf', 'build/svmtest.iso')


def doc_files():
    files = ['README.md', 'CHANGELOG.md']
    d = os.path.join(ROOT, 'docs')
    if os.path.isdir(d):
        files += ['docs/' + f for f in sorted(os.listdir(d)) if f.endswith('.md')]
    return [f for f in files if os.path.exists(os.path.join(ROOT, f))]


def source_id(src):
    return hashlib.sha1(src.encode()).hexdigest()[:10]


def check_source(src):
    """None when src is a source make check can run, else why not."""
    if re.fullmatch(r'case t_[A-Za-z0-9_]+', src):
        return None
    try:
        words = shlex.split(src)
    except ValueError as e:
        return f'unreadable: {e}'
    while words and ENV_WORD.match(words[0]):
        words.pop(0)
    if len(words) not in (2, 3) or words[0] not in TOOLS or words[1] not in IMAGES:
        return f'not [VAR=value ...] {"|".join(TOOLS)} IMAGE [ARGS]'
    return None


class Sample:
    def __init__(self, path, line, marker, start, lines):
        self.path, self.line, self.marker = path, line, marker
        self.start = start          # index of the block's first line in the file
        self.lines = lines
        self.sources = [] if marker.startswith('recorded:') else [s.strip() for s in marker.split(' ;; ')]


def parse(path):
    """(samples, problems) of one file."""
    text = open(os.path.join(ROOT, path)).read().split('\n')
    samples, problems = [], []
    i, pending = 0, None
    while i < len(text):
        m = MARKER.match(text[i])
        if m:
            pending = (i + 1, m.group(1))
            i += 1
            continue
        if FENCE.match(text[i]):
            j = i + 1
            while j < len(text) and not FENCE.match(text[j]):
                j += 1
            indent = len(text[i]) - len(text[i].lstrip(' '))
            body = [b[indent:] if b[:indent].strip() == '' else b for b in text[i + 1:j]]
            if pending and pending[0] == i:
                s = Sample(path, pending[0], pending[1], i + 1, body)
                for src in s.sources:
                    why = check_source(src)
                    if why:
                        problems.append(f'{path}:{s.line}: sample source {src!r}: {why}')
                samples.append(s)
            elif any(REPORTISH.match(b) for b in body):
                problems.append(f'{path}:{i + 1}: a block of report lines without a '
                                f'<!-- sample: ... --> marker naming the run it comes from')
            pending = None
            i = j + 1
            continue
        if text[i].strip():
            pending = None
        i += 1
    return samples, problems


def all_samples():
    samples, problems = [], []
    for f in doc_files():
        s, p = parse(f)
        samples += s
        problems += p
    return samples, problems


def read_log(logdir, src):
    p = os.path.join(logdir, source_id(src) + '.log')
    if not os.path.exists(p):
        return None
    with open(p, errors='replace') as fh:
        return fh.read().replace('\r', '').split('\n')


def shape(line):
    """A line with its numbers blanked: what may change between builds."""
    return re.sub(r'0x[0-9a-f]+|[0-9]+', '#', line)


def match(sample, log):
    """(None, None) when every line is found in order, else (index of the
    first missing sample line, the log line of the same shape after the
    last match or None)."""
    pos = 0
    for k, want in enumerate(sample.lines):
        if want == '...':
            continue
        try:
            pos = log.index(want, pos) + 1
        except ValueError:
            same = [x for x in log[pos:] if shape(x) == shape(want)]
            return k, (same[0] if same else None)
    return None, None


def main(argv):
    if len(argv) < 1 or argv[0] not in ('plan', 'check', 'update'):
        print(__doc__, file=sys.stderr)
        return 2
    samples, problems = all_samples()
    if argv[0] == 'plan':
        for p in problems:
            print(p, file=sys.stderr)
        seen = set()
        for s in samples:
            for src in s.sources:
                if src not in seen and not check_source(src):
                    seen.add(src)
                    print(f'{source_id(src)}\t{src}')
        return 1 if problems else 0
    logdir = argv[1]
    bad = list(problems)
    edits = {}
    checked = recorded = 0
    for s in samples:
        if not s.sources:
            recorded += 1
            continue
        logs = [read_log(logdir, src) for src in s.sources]
        if any(x is None for x in logs):
            bad.append(f'{s.path}:{s.line}: no log of {s.marker!r}')
            continue
        log = [line for x in logs for line in x]
        while True:
            k, repl = match(s, log)
            if k is None:
                checked += 1
                break
            if argv[0] == 'update' and repl is not None:
                edits.setdefault(s.path, {})[s.start + k] = repl
                s.lines[k] = repl
                continue
            hint = f'; the run prints: {repl}' if repl else ''
            bad.append(f'{s.path}:{s.start + k + 1}: sample line not printed by '
                       f'{s.marker!r}: {s.lines[k]}{hint}')
            break
    for path, changes in edits.items():
        full = os.path.join(ROOT, path)
        text = open(full).read().split('\n')
        for idx, line in changes.items():
            indent = text[idx][:len(text[idx]) - len(text[idx].lstrip(' '))]
            text[idx] = indent + line
        open(full, 'w').write('\n'.join(text))
        print(f'updated {len(changes)} lines in {path}')
    for b in bad:
        print(b)
    print(f'docs samples: {checked} checked against their runs, {recorded} recorded, '
          f'{len(bad)} problems')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
