#!/usr/bin/env python3
"""run.py EXTRACTOR-COMMAND... -- SET OUT.jsonl

Runs an extractor that takes page paths and prints JSON lines {"source", "body"} (this
crate's `extract-bench ours-json|traf-json`, or `newswatch extract --format json`) over
  dev   the dev split of the Zyte benchmark ($EXTRACTION_DATA, default
        /work/shared/eval/extraction; pages decompressed to a temp dir), or
  traf  the trafilatura evaluation set ($TRAF_REPO, default /tmp/trafilatura).
"""
import glob, gzip, json, os, subprocess, sys, tempfile

DATA = os.environ.get('EXTRACTION_DATA', '/work/shared/eval/extraction')
TRAF = os.environ.get('TRAF_REPO', '/tmp/trafilatura')


def traf_paths():
    data = json.load(open(f'{TRAF}/tests/evaldata.json'))
    for item in data.values():
        for sub in ('cache', 'eval'):
            path = f"{TRAF}/tests/{sub}/{item['file']}"
            if os.path.isfile(path):
                yield path
                break


def main():
    i = sys.argv.index('--')
    cmd, (which, out) = sys.argv[1:i], sys.argv[i + 1:]
    with tempfile.TemporaryDirectory() as tmp:
        if which == 'dev':
            paths = []
            for pid in open(f'{DATA}/dev.txt').read().split():
                path = f'{tmp}/{pid}.html'
                with open(path, 'wb') as f:
                    f.write(gzip.open(f'{DATA}/html/{pid}.html.gz').read())
                paths.append(path)
        else:
            paths = list(traf_paths())
        with open(out, 'w') as f:
            for k in range(0, len(paths), 200):
                subprocess.run(cmd + paths[k:k + 200], stdout=f, check=False)


if __name__ == '__main__':
    main()
