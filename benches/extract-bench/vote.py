#!/usr/bin/env python3
"""vote.py OURS.jsonl TRAF.jsonl dev|traf MODE : combine our output with trafilatura's
(both from run.py) and score the result with evalx.py. Modes:
  para-K    keep our paragraph when trafilatura's text holds half of its 4-token shingles
            or when it has >= K tokens (e.g. para-8, para-15)
  subset    take trafilatura's text when it is inside ours (95 %) and ours has 15 % more
  superset  take trafilatura's text when ours is inside it (95 %) and it has 15 % more
  longer    when they share under half of our shingles, take the longer text
  empty     take trafilatura's text when ours is empty
"""
import json, os, subprocess, sys, tempfile
sys.path.insert(0, os.environ.get('EXTRACTION_DATA', '/work/shared/eval/extraction'))
import score

ours = [json.loads(l) for l in open(sys.argv[1])]
traf = {json.loads(l)['source']: json.loads(l)['body'] for l in open(sys.argv[2])}
which, mode = sys.argv[3], sys.argv[4]
bag = lambda t: score.shingles(score.tokens(t))
out = tempfile.NamedTemporaryFile('w', suffix='.jsonl', delete=False)
changed = 0
for d in ours:
    o, t = d['body'], traf.get(d['source'], '')
    osh, tsh = bag(o), bag(t)
    inter = sum((osh & tsh).values())
    o_in_t, t_in_o = inter / max(1, sum(osh.values())), inter / max(1, sum(tsh.values()))
    body = o
    if mode.startswith('para-') and t.strip():
        k = int(mode[5:])
        kept = []
        for p in o.split('\n\n'):
            sh = bag(p)
            if sum((sh & tsh).values()) >= sum(sh.values()) / 2 or len(score.tokens(p)) >= k:
                kept.append(p)
        body = '\n\n'.join(kept)
    elif mode == 'subset' and t.strip() and t_in_o > 0.95 and o_in_t < 0.85:
        body = t
    elif mode == 'superset' and o_in_t > 0.95 and t_in_o < 0.85:
        body = t
    elif mode == 'longer' and t.strip() and o_in_t < 0.5 and len(t) > len(o):
        body = t
    elif mode == 'empty' and not o.strip():
        body = t
    changed += body != o
    out.write(json.dumps({'source': d['source'], 'body': body}) + '\n')
out.close()
print(f'{mode}: {changed} pages changed')
subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), 'evalx.py'), which, out.name])
os.unlink(out.name)
