#!/usr/bin/env python3
"""The include graph of svmtest's bare-metal code against tests/layers/layers.txt.

Every .c, .h, .asm and .inc file under the layered folders belongs to one
layer. A C include names a file of the same folder bare ("report.h") and any
other by its path from the repository root ("kernel/lib/fmt.h"); nasm's
%include always names the path from the root ("boot/gdt.inc"). It may
point to its own layer or a lower one (an earlier line), never higher, and
no two modules (a .c and its .h) may include each other, even indirectly.

    include_layers.py [--root DIR] [--layers FILE]   prints each violation;
    exit status 1 if there is one.
"""
import argparse
import os
import re
import sys

INCLUDE = re.compile(r'^\s*(?:#\s*include|%include)\s+"([^"]+)"')
SUFFIXES = ('.c', '.h', '.asm', '.inc')


def read_layers(path):
    """[(name, [pattern, ...])] lowest first, the generated names, the
    folders whose files are layered."""
    layers, generated, folders = [], set(), []
    for line in open(path, encoding='utf-8'):
        words = line.split('#', 1)[0].split()
        if not words:
            continue
        if words[0] == 'generated':
            generated.update(words[1:])
        elif words[0] == 'folders':
            folders += words[1:]
        else:
            layers.append((words[0], words[1:]))
    return layers, generated, folders


def module(path):
    return os.path.splitext(os.path.normpath(path))[0]


def layer_of(mod, layers):
    """Index of the layer a module belongs to: an exact module name wins
    over a folder ("dir/") pattern; the longest folder wins. None if none."""
    best, best_len = None, -1
    for i, (_, patterns) in enumerate(layers):
        for p in patterns:
            if p.endswith('/'):
                if os.path.dirname(mod) + '/' == p and len(p) > best_len:
                    best, best_len = i, len(p)
            elif mod == p:
                return i
    return best


def check(root, layers_path):
    layers, generated, folders = read_layers(layers_path)
    problems = []
    files = []
    for top in folders:
        for dirpath, _, names in os.walk(os.path.join(root, top)):
            for n in sorted(names):
                if n.endswith(SUFFIXES):
                    files.append(os.path.relpath(os.path.join(dirpath, n), root))
    files.sort()
    graph = {}
    for f in files:
        m = module(f)
        graph.setdefault(m, set())
        here = layer_of(m, layers)
        if here is None:
            problems.append(f'{f}: in no layer of {os.path.relpath(layers_path, root)}')
            continue
        for lineno, line in enumerate(open(os.path.join(root, f), encoding='utf-8', errors='replace'), 1):
            r = INCLUDE.match(line)
            if not r:
                continue
            name = r.group(1)
            where = f'{f}:{lineno}: "{name}"'
            if name in generated:
                continue
            if '..' in name.split('/'):
                problems.append(f'{where}: a path with "..": name it from the repository root')
                continue
            if f.endswith(('.asm', '.inc')):
                target = os.path.normpath(name)   # nasm: from the root, as -I. gives it
            elif '/' in name:
                target = os.path.normpath(name)
                if os.path.dirname(target) == os.path.dirname(f):
                    problems.append(f'{where}: same folder: include it bare')
                    continue
            else:
                target = os.path.normpath(os.path.join(os.path.dirname(f), name))
            if not os.path.isfile(os.path.join(root, target)):
                problems.append(f'{where}: no such file (same folder bare, else from the root)')
                continue
            t = module(target)
            if t == m:
                continue
            graph[m].add(t)
            there = layer_of(t, layers)
            if there is None:
                continue   # reported for that file itself
            if there > here:
                problems.append(f'{where}: layer {layers[here][0]} includes higher layer '
                                f'{layers[there][0]}')
    problems += cycles(graph)
    return problems


def cycles(graph):
    """Each strongly connected set of two or more modules, as one line."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append('include circle: ' + ' <-> '.join(sorted(group)))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument('--root', default=os.path.dirname(os.path.dirname(here)))
    ap.add_argument('--layers', default=None)
    a = ap.parse_args()
    layers = a.layers or os.path.join(a.root, 'tests', 'layers', 'layers.txt')
    problems = check(a.root, layers)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
