"""Markdown headings and links as GitHub renders them (shared by the doc checks)."""
import re

FENCE = re.compile(r'^(```|~~~)')
HEADING = re.compile(r'^(#{1,6}) +(.*?) *#*$')
LINK = re.compile(r'(?<!\!)\[(?:[^\]\\]|\\.)*\]\(([^)\s]+)(?: "[^"]*")?\)')


def prose_lines(text):
    """(line number, line) outside fenced code blocks."""
    fenced = False
    for n, line in enumerate(text.split('\n'), 1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            yield n, line


def slug(title):
    """GitHub's anchor for a heading: lower case, markup and punctuation
    dropped (hyphens and underscores kept), spaces to hyphens."""
    title = re.sub(r'`([^`]*)`', r'\1', title)
    title = re.sub(r'\[([^\]]*)\]\([^)]*\)', r'\1', title)
    title = title.strip().lower()
    title = re.sub(r'[^\w\- ]', '', title)
    return title.replace(' ', '-')


def anchors(text):
    seen = {}
    out = set()
    for _, line in prose_lines(text):
        m = HEADING.match(line)
        if not m:
            continue
        s = slug(m.group(2))
        if s in seen:
            seen[s] += 1
            out.add(f'{s}-{seen[s]}')
        else:
            seen[s] = 0
            out.add(s)
    return out


def links(text):
    """(line number, target) of every inline link outside code blocks and spans."""
    for n, line in prose_lines(text):
        line = re.sub(r'`[^`]*`', '', line)
        for m in LINK.finditer(line):
            yield n, m.group(1)
