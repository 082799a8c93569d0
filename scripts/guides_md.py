# Copyright (c) 2026 PingOne OIDC collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Write the guides of docs/docsite/rst/ as Markdown into docs/, where Automation Hub and Galaxy show them.

The RST guides are the source (docs.ansible.com renders them through docs/docsite/extra-docs.yml); Automation Hub
only renders the Markdown files directly in docs/. This converts each guide listed in extra-docs.yml with pandoc
(pypandoc-binary, in requirements-dev.txt), turning the Sphinx roles pandoc does not know into Markdown first.

    python scripts/guides_md.py           # rewrite docs/<guide>.md
    python scripts/guides_md.py --check   # exit 1 when a docs/<guide>.md is missing or stale (.ci/run)
"""

from __future__ import annotations

import argparse
import os
import re
import sys

import pypandoc
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCSITE = os.path.join(ROOT, 'docs', 'docsite')
OUT = os.path.join(ROOT, 'docs')
LABEL = re.compile(r'^\.\. _([^:]+):\s*$', re.M)
TITLE = re.compile(r'^(?:\.\. _[^\n]*\n\s*\n)?([^\n]+)\n=+\n')
ROLE = re.compile(r':([a-z]+):`([^`]+)`')
HEADER = '<!-- Generated from docs/docsite/rst/%s.rst by scripts/guides_md.py: edit the .rst, then run the script. -->\n\n'


def guides():
    with open(os.path.join(DOCSITE, 'extra-docs.yml'), encoding='utf-8') as handle:
        config = yaml.safe_load(handle)
    return [name for section in config['sections'] for name in section['toctree']]


def read(name):
    with open(os.path.join(DOCSITE, 'rst', name + '.rst'), encoding='utf-8') as handle:
        return handle.read()


def targets(names):
    """RST label -> (title, Markdown file) of every guide."""
    found = {}
    for name in names:
        text = read(name)
        title = TITLE.match(text)
        for label in LABEL.findall(text):
            found[label] = (title.group(1).strip() if title else name, name + '.md')
    return found


def plain_rst(text, labels, name):
    """The guide with the Sphinx roles replaced by plain RST that pandoc understands."""
    def replace(match):
        role, body = match.groups()
        if role == 'ref':
            explicit = re.match(r'^(.*?)\s*<([^>]+)>$', body, re.S)
            label = explicit.group(2) if explicit else body
            if label not in labels:
                raise SystemExit('%s.rst: :ref: to %r, which is no guide of extra-docs.yml' % (name, label))
            title, target = labels[label]
            return '`%s <%s>`__' % (explicit.group(1) if explicit else title, target)
        if role == 'ansplugin':
            return '``%s``' % body.split('#')[0]
        raise SystemExit('%s.rst: the role :%s: is not supported here; extend scripts/guides_md.py' % (name, role))
    text = ROLE.sub(replace, text)
    return LABEL.sub('', text).lstrip('\n')


def markdown(name, labels):
    converted = pypandoc.convert_text(plain_rst(read(name), labels, name), 'gfm', format='rst',
                                      extra_args=['--wrap=preserve'])
    return HEADER % name + converted.replace('\r\n', '\n').rstrip('\n') + '\n'


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--check', action='store_true', help='only report missing or stale files')
    args = parser.parse_args(argv)
    names = guides()
    labels = targets(names)
    stale = []
    for name in names:
        path = os.path.join(OUT, name + '.md')
        wanted = markdown(name, labels)
        current = None
        if os.path.exists(path):
            with open(path, encoding='utf-8') as handle:
                current = handle.read()
        if current == wanted:
            continue
        stale.append(os.path.relpath(path, ROOT))
        if not args.check:
            with open(path, 'w', encoding='utf-8') as handle:
                handle.write(wanted)
    if args.check and stale:
        print('stale or missing (run: python scripts/guides_md.py): %s' % ', '.join(stale))
        return 1
    print('%s: %s' % ('checked' if args.check else 'written' if stale else 'up to date', ', '.join(n + '.md' for n in names)))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
