#!/usr/bin/env python3
"""The README's frame-path table must name the right file for every function.

    check_frame_path.py SOURCE_ROOT               check README.md's table
    check_frame_path.py --self-test SOURCE_ROOT   the check must fail on a row
                                                  whose function moved away

Each row names functions (backticked identifiers) and files (the last column,
under compositor/ unless they start with renderer/): every function must be
defined in one of that row's files. Names from libwayland (wl_*) are not ours.
"""
import os
import re
import sys

SECTION = '### One buffer\'s journey (the frame path)'
FUNCTION = re.compile(r'`([a-z][a-z0-9]*_[a-z0-9_]*)`')


def table_rows(readme):
    text = readme.split(SECTION, 1)[1]
    for line in text.splitlines():
        if line.startswith('## '):
            break
        if line.startswith('|') and not line.startswith('| ---') and \
                not line.startswith('| step'):
            yield [cell.strip() for cell in line.strip('|').split('|')]


def defines(path, name):
    definition = re.compile(r'^[a-z].*\b%s\(' % re.escape(name))
    with open(path, encoding='utf-8') as f:
        return any(definition.match(line) and not line.rstrip().endswith(';') for line in f)


def check(root, readme):
    problems = []
    for cells in table_rows(readme):
        files = [f.strip() for f in cells[-1].split(',')]
        paths = [os.path.join(root, f if f.startswith('renderer/') else 'compositor/' + f)
                 for f in files]
        for path in paths:
            if not os.path.isfile(path):
                problems.append('%s: no such file (row "%s")' % (path, cells[0]))
        for name in FUNCTION.findall(cells[1]):
            if name.startswith('wl_'):
                continue
            if not any(os.path.isfile(p) and defines(p, name) for p in paths):
                problems.append('%s is defined in none of %s (row "%s")' %
                                (name, ', '.join(files), cells[0]))
    return problems


def main(argv):
    if len(argv) == 3 and argv[1] == '--self-test':
        root = argv[2]
        with open(os.path.join(root, 'README.md'), encoding='utf-8') as f:
            readme = f.read()
        broken = readme.replace('| core/output.c, core/presentation.c |',
                                '| core/surface.c, core/presentation.c |')
        if broken == readme or check(root, readme):
            print('self-test: cannot set up (the row changed, or the table fails)')
            return 1
        problems = check(root, broken)
        caught = any(p.startswith('output_present is defined in none') for p in problems)
        print('self-test: output_present moved to core/surface.c in the table: %s' %
              ('caught' if caught else 'MISSED'))
        return 0 if caught else 1
    if len(argv) != 2:
        print(__doc__)
        return 2
    with open(os.path.join(argv[1], 'README.md'), encoding='utf-8') as f:
        problems = check(argv[1], f.read())
    for problem in problems:
        print(problem)
    print('frame path: %d problem%s' % (len(problems), '' if len(problems) == 1 else 's'))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
