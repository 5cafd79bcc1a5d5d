#!/usr/bin/env python3
"""What the docs point at must exist.

In README.md, CHANGELOG.md, docs/*.md and lava/README.md (or the files
given, relative to --root):
- every relative link resolves: the file (or directory) exists, and a
  #anchor is a heading of the target Markdown file (GitHub's anchors);
- every `make TARGET` written in code (a `code span` or a fenced block) is a
  target of the Makefile (a file under build/ too, as its rule or a
  variable's $(BUILD)/ path names it);
- every path under tools/ or tests/ the text names exists (a trailing * or
  <...> is a pattern: some path must start with what comes before it).

Prints one line per problem and `docs links: N checked, N problems`; exit 1
when there is a problem.
"""
import argparse
import glob
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mdlinks  # noqa: E402

DEFAULT_FILES = ['README.md', 'CHANGELOG.md', 'docs/*.md', 'lava/README.md']
MAKE = re.compile(r'(?<![\w/-])make +(?:-[a-zA-Z]+ +)*(?:[A-Z][A-Z0-9_]*=\S* +)*([a-z][a-z0-9_./-]*[a-z0-9])')
PATH = re.compile(r'(?<![\w./~$-])((?:tools|tests)/[A-Za-z0-9_./+-]*)([*<]?)')


def makefile_targets(root):
    targets = set()
    for mk in ['Makefile'] + glob.glob(os.path.join(root, 'tests', '*.mk')) + \
            glob.glob(os.path.join(root, 'tests', '*', '*.mk')):
        p = mk if os.path.isabs(mk) else os.path.join(root, mk)
        if not os.path.exists(p):
            continue
        for line in open(p):
            m = re.match(r'^([A-Za-z0-9_.%/$() -]+?) *::?(?!=)', line)
            if m and not line.startswith('\t'):
                targets.update(t.replace('$(BUILD)/', 'build/') for t in m.group(1).split()
                               if '$' not in t.replace('$(BUILD)/', ''))
            # a file target by variable: WRONG_MODEL := $(BUILD)/tests/.../svmtest.elf
            m = re.match(r'^[A-Z][A-Z0-9_]* *:?= *\$\(BUILD\)/(\S+)$', line.rstrip())
            if m and '$' not in m.group(1):
                targets.add('build/' + m.group(1))
            m = re.match(r'^\.PHONY *: *(.*)', line)
            if m:
                targets.update(m.group(1).split())
    return targets


def code_texts(text):
    """(line number, text) of code: fenced blocks whole, code spans of prose."""
    fenced = False
    for n, line in enumerate(text.split('\n'), 1):
        if mdlinks.FENCE.match(line.lstrip()):
            fenced = not fenced
            continue
        if fenced:
            yield n, line
        else:
            for m in re.finditer(r'`([^`]+)`', line):
                yield n, m.group(1)


def check_file(root, rel, targets, anchor_cache):
    problems, checked = [], 0
    path = os.path.join(root, rel)
    text = open(path).read()
    here = os.path.dirname(rel)
    for n, target in mdlinks.links(text):
        if re.match(r'^[a-z][a-z0-9+.-]*:', target):   # http:, mailto: ...
            continue
        checked += 1
        file_part, _, anchor = target.partition('#')
        dest = os.path.normpath(os.path.join(here, file_part)) if file_part else rel
        full = os.path.join(root, dest)
        if not os.path.exists(full):
            problems.append(f'{rel}:{n}: link to {target}: {dest} does not exist')
            continue
        if anchor:
            if not dest.endswith('.md') or os.path.isdir(full):
                problems.append(f'{rel}:{n}: link to {target}: an anchor in a file that is not Markdown')
                continue
            if dest not in anchor_cache:
                anchor_cache[dest] = mdlinks.anchors(open(full).read())
            if anchor not in anchor_cache[dest]:
                problems.append(f'{rel}:{n}: link to {target}: no heading #{anchor} in {dest}')
    for n, code in code_texts(text):
        for m in MAKE.finditer(code):
            checked += 1
            if m.group(1) not in targets:
                problems.append(f'{rel}:{n}: `make {m.group(1)}`: no such target in the Makefile')
    for n, line in enumerate(text.split('\n'), 1):
        for m in PATH.finditer(line):
            p, pattern = m.group(1).rstrip('.'), m.group(2)
            checked += 1
            full = os.path.join(root, p)
            if pattern:
                if not glob.glob(glob.escape(full) + '*'):
                    problems.append(f'{rel}:{n}: no path starts with {p}')
            elif not os.path.exists(full):
                problems.append(f'{rel}:{n}: {p} does not exist')
    return checked, problems


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--root', default=os.path.normpath(os.path.join(os.path.dirname(__file__), '..', '..')))
    ap.add_argument('files', nargs='*')
    a = ap.parse_args(argv)
    files = []
    for pat in a.files or DEFAULT_FILES:
        found = sorted(glob.glob(os.path.join(a.root, pat)))
        if not found and a.files:
            print(f'{pat}: no such file')
            return 1
        files += [os.path.relpath(f, a.root) for f in found]
    targets = makefile_targets(a.root)
    total, problems, cache = 0, [], {}
    for f in files:
        c, p = check_file(a.root, f, targets, cache)
        total += c
        problems += p
    for p in problems:
        print(p)
    print(f'docs links: {total} checked in {len(files)} files, {len(problems)} problems')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
