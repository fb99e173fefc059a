#!/usr/bin/env python3
"""Score extractor outputs (JSON lines {"source", "body"}, see run.py) on
  dev   the dev split of the Zyte article-extraction benchmark with its own score.py metric
        (`bench`: 4-token shingles), overall and per held-out fold (layout family, every
        page of a site in one fold);
  traf  the trafilatura evaluation set (trafilatura's metric: "with" snippets that must be
        in the output, "without" snippets that must not), all of it and its two halves by
        a hash of the host ("look": errors were inspected; "held": only ever scored).
Usage: evalx.py dev OUT.jsonl [-v]  |  evalx.py traf OUT.jsonl [-v]
"""
import sys, json, re, os, hashlib
EXDIR = os.environ.get('EXTRACTION_DATA', '/work/shared/eval/extraction')
TRAF = os.environ.get('TRAF_REPO', '/tmp/trafilatura')
sys.path.insert(0, EXDIR)
import score  # metric functions only

# Layout-family folds: every page of a site in one fold.
FOLDS = {
 'A wordpress/small sites': 'venturebeat theparadigmng autoracing inexhibit theantijunecleaver expapp beachbodyondemand kabarislamia lhpat-tm jeongdongtheater vortexcannon 9to5mac pv-magazine detroit.cbslocal bigbrandsystem nationalreview',
 'B broadcast networks': 'cbssports cnbc nbcdfw nbcnews cnn foxnews msn bbc catchitkansas',
 'C magazines/tech/science': 'vox ign wired sciencealert macrumors gizmodo appleinsider space quantamagazine phys forbes newsweek blog.comwrap',
 'D newspapers/agencies/non-English': 'wsj nytimes barrons washingtonexaminer timesunion express politifact albawaba hosted.ap deccanherald sputniknews wday',
}

def fold_of(url):
    host = re.sub(r'^www\.', '', url.split('/')[2])
    for f, sites in FOLDS.items():
        for s in sites.split():
            if host.startswith(s + '.') or host == s:
                return f
    raise SystemExit('no fold for ' + host)

def load(out):
    preds = {}
    for line in open(out):
        d = json.loads(line)
        pid = os.path.basename(d['source']).split('.')[0]
        preds[pid] = d.get('body') or ''
    return preds

def fmt(a):
    return f"F1 {a['bench_f1']:.4f}  P {a['bench_p']:.4f}  R {a['bench_r']:.4f}"

def dev(out, per_page=False):
    gt = json.load(open(f'{EXDIR}/ground-truth.json'))
    ids = [l.strip() for l in open(f'{EXDIR}/dev.txt') if l.strip()]
    preds = load(out)
    rows = {}
    for i in ids:
        m = score.page_metrics(gt[i]['articleBody'], preds.get(i, ''))
        m['id'] = i; m['fold'] = fold_of(gt[i]['url']); m['url'] = gt[i]['url']
        rows[i] = m
    allr = list(rows.values())
    print(f"dev ({len(allr)}): {fmt(score.aggregate(allr))}")
    for f in FOLDS:
        fr = [r for r in allr if r['fold'] == f]
        print(f"  fold {f} ({len(fr)}): {fmt(score.aggregate(fr))}")
    if per_page:
        for r in sorted(allr, key=lambda r: (r['bench_p'] or 0) + r['bench_r']):
            print(f"  {r['id'][:8]} {r['fold'][:1]} P {r['bench_p'] or 0:.3f} R {r['bench_r']:.3f} {r['url'][:70]}")
    return rows

def traf(out, per_page=False):
    data = json.load(open(f'{TRAF}/tests/evaldata.json'))
    preds = {}
    for line in open(out):
        d = json.loads(line)
        preds[os.path.basename(d['source'])] = d.get('body') or ''
    norm = lambda t: re.sub(r'\s+', ' ', t).strip()
    def half(url):
        host = re.sub(r'^(https?://)?(web\.archive\.org/web/\d+/)?(https?://)?(www\.)?', '', url.split('::')[-1]).split('/')[0]
        return 'look' if hashlib.md5(host.encode()).digest()[0] % 2 == 0 else 'held'
    for name, sel in (('all', None), ('look', 'look'), ('held', 'held')):
        tp = fp = fn = tn = 0
        for url, item in data.items():
            if sel and half(url) != sel:
                continue
            res = norm(preds.get(item['file'], ''))
            a = sum(1 for w in item['with'] if norm(w) in res)
            b = sum(1 for w in item['without'] if norm(w) in res)
            tp += a; fp += b; fn += len(item['with']) - a; tn += len(item['without']) - b
        p = tp / (tp + fp); r = tp / (tp + fn)
        print(f"trafilatura set {name}: F1 {2*p*r/(p+r):.4f}  P {p:.4f}  R {r:.4f}")
    if per_page:  # the "look" half only: the held half is never inspected
        bad = []
        for url, item in data.items():
            if half(url) != 'look':
                continue
            res = norm(preds.get(item['file'], ''))
            b = sum(1 for w in item['without'] if norm(w) in res)
            a = sum(1 for w in item['with'] if norm(w) in res)
            if b or a < len(item['with']):
                bad.append((b, len(item['with']) - a, url))
        for b in sorted(bad, reverse=True)[:40]:
            print('  fp', b[0], 'fn', b[1], b[2][:90])

if __name__ == '__main__':
    {'dev': dev, 'traf': traf}[sys.argv[1]](sys.argv[2], '-v' in sys.argv)
