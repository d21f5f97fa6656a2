#!/usr/bin/env python3
"""How far the two keyphrase sets pull a tagger apart: the frontier.

Issue 4 asks for DUC-2001 F1@10 >= 26 and 500N F1@10 >= 19 from the same
tagger. DUC-2001's references are editors' phrases (eight an article);
500N's are the crowd's, about 49 an article and three quarters single
words. This prints, for k = 10 .. 0, the F1@10 of both sets when our first
k tags are kept and the rest of the ten are the words the article says
most often (`--lead`, the baseline of make eval) that our k do not
already give, and beside it the bound that no single-word list can beat:
the remaining 10 - k slots filled with references (an oracle that knows
the answers).

  python3 tests/eval/tagmix.py [--data DIR] BUILD_DIR

Scoring is eval.py's (the same key_f1 and stemmer).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import eval as ev  # noqa: E402  (the scoring lives there)

SETS = ("duc2001", "500n")


def keys_of(tags):
    """Tags as scoring keys, first occurrence kept, empty ones dropped."""
    out = []
    for t in tags:
        k = ev.phrase_key(t)
        if k and k not in out:
            out.append(k)
    return out


def blend(ours, lead, k):
    """Our first k keys, then lead keys none of ours already is."""
    head = ours[:k]
    return head + [w for w in lead if w not in head]


def oracle(ours, gold, k):
    """F1@10 of our first k keys with the other slots all hits."""
    head = ours[:k]
    hits = len([x for x in head if x in gold])
    extra = min(10 - len(head), len(gold) - hits)
    return ev.f1(hits + extra, len(head) + extra, len(gold))


def main():
    args = sys.argv[1:]
    data = None
    if len(args) >= 2 and args[0] == "--data":
        data = args[1]
        args = args[2:]
    if len(args) != 1:
        sys.exit(__doc__)
    here = os.path.dirname(os.path.abspath(__file__))
    data = data or os.path.join(here, "..", "..", "..", "shared", "data", "nlp")
    if not os.path.isdir(data):
        print("tagmix: %s not found: skipped" % os.path.normpath(data))
        return 0
    tool = os.path.join(args[0], "newsdigest")
    ev.PORTER = ev.Porter()
    runs = {}
    for name in SETS:
        docs = ev.load(os.path.join(data, "dev_%s.jsonl" % name))
        ours, _ = ev.run(tool, docs, ["--tags", "20"])
        lead, _ = ev.run(tool, docs, ["--tags", "20", "--lead"])
        runs[name] = [(keys_of(ours[d["id"]]["tags"]), keys_of(lead[d["id"]]["tags"]),
                       {ev.phrase_key(x) for x in d["keyphrases"]} - {""}) for d in docs]
    print("== F1@10 of our first k tags, the rest the most frequent words (dev sets)")
    print("%3s  %12s %12s   %s" % ("k", "DUC-2001", "500N", "500N, rest all hits (bound)"))
    for k in range(10, -1, -1):
        row = [ev.mean([ev.f1(len([x for x in blend(o, le, k)[:10] if x in g]),
                              len(blend(o, le, k)[:10]), len(g)) for o, le, g in runs[n]])
               for n in SETS]
        bound = ev.mean([oracle(o, g, k) for o, _, g in runs["500n"]])
        print("%3d  %12.1f %12.1f   %.1f" % (k, row[0], row[1], bound))
    return 0


if __name__ == "__main__":
    sys.exit(main())
