#!/usr/bin/env python3
"""Write the tagger's English part-of-speech lexicon as a C header.

  python3 daemon/poslex.py WORDNET_DIR OUT.h

From WordNet 3.0 (Debian's wordnet-base: index.*, *.exc and cntlist.rev,
the sense counts of the SemCor corpus) it lists the English word forms
that are seldom nouns, and what they are instead: an adjective, a verb
that is a noun too at least once in 25 uses (talks, deal, spill), or
neither noun nor adjective (said, announced, recently). It lists as
nouns the common nouns, in the singular (dealer, share: lang.c takes a
plural's ending off), whose lower-case senses SemCor tags more often
than their capitalised ones (data.noun writes each sense's case: bush,
not Washington), so that a capital at a sentence's start is no name's.
A form absent from the table
is a name or a word WordNet does not know. Only forms whose reading
SemCor attests (MIN_COUNT) are listed, which keeps the table to the
words of general text, and none that lang.c's suffix rule (-ed, -ly: no
noun) already gets right. Regular inflections are made
here (WordNet lists lemmas), irregular ones come from the .exc files.

The table holds, per bucket of the top eleven bits of a form's hash (FNV-1a
64 of the lower-case form, mixed, its top 32 bits), the next fourteen bits
over its 2-bit class, sorted: 16 bits a form, and where each bucket
starts; daemon/lang.c looks a word up in its bucket. No form WordNet
knows is taken for another (write() leaves such slots out).
When WORDNET_DIR has no WordNet (or is "-") the table is empty, and the
tagger keeps to the suffix rules.
"""
import os
import re
import sys

NOUN, ADJ, OTHER, VERB = 0, 1, 2, 3
POS = {"noun": "n", "verb": "v", "adj": "a", "adv": "r"}
SS_TYPE = {"1": "n", "2": "v", "3": "a", "4": "r", "5": "a"}
VOWELS = set("aeiou")
NOUN_SHARE = 1 / 3	# a noun at least this often: a noun
VERB_NOUN_SHARE = 1 / 25	# a verb, but a noun at least this often: may be one in a phrase
BUCKET_BITS = 11	# the table's index: 4 KiB
KEY_BITS = 14		# of the hash kept per form beside its 2-bit class
MIN_COUNT = 3		# SemCor tags of a reading for its form to be listed


def fold(word):
	"""FNV-1a 64 of word, mixed (MurmurHash3's finaliser: FNV's last byte
	barely reaches the top bits, so sirs and siri shared 25 of them), its
	top 32 bits: as lang.c computes it."""
	m = 0xFFFFFFFFFFFFFFFF
	h = 0xcbf29ce484222325
	for b in word.encode():
		h = ((h ^ b) * 0x100000001b3) & m
	h ^= h >> 33
	h = (h * 0xff51afd7ed558ccd) & m
	h ^= h >> 33
	h = (h * 0xc4ceb9fe1a85ec53) & m
	h ^= h >> 33
	return h >> 32


def counts(wn):
	"""Return {(lemma, pos): SemCor tag count} from cntlist.rev."""
	out = {}
	with open(os.path.join(wn, "cntlist.rev"), encoding="latin-1") as f:
		for line in f:
			key, _, cnt = line.split()
			lemma, lex = key.split("%", 1)
			k = (lemma, SS_TYPE[lex[0]])
			out[k] = out.get(k, 0) + int(cnt)
	return out


def noun_cases(wn):
	"""Return {(lemma, lex_filenum, lex_id): written in lower case} of data.noun."""
	out = {}
	with open(os.path.join(wn, "data.noun"), encoding="latin-1") as f:
		for line in f:
			if line.startswith(" "):
				continue
			p = line.split()
			for i in range(int(p[3], 16)):
				w = p[4 + 2 * i]
				out[(w.lower(), int(p[1]), int(p[5 + 2 * i], 16))] = w == w.lower()
	return out


def common_nouns(wn):
	"""Return {lemma: SemCor count} of the nouns tagged more often in their
	lower-case senses (shares, bush) than in their capitalised ones."""
	case = noun_cases(wn)
	common, proper = {}, {}
	with open(os.path.join(wn, "cntlist.rev"), encoding="latin-1") as f:
		for line in f:
			key, _, cnt = line.split()
			lemma, lex = key.split("%", 1)
			part = lex.split(":")
			k = (lemma, int(part[1]), int(part[2]))
			if part[0] != "1" or k not in case:
				continue
			d = common if case[k] else proper
			d[lemma] = d.get(lemma, 0) + int(cnt)
	return {w: n for w, n in common.items() if n > proper.get(w, 0)}


def lemmas(wn, pos):
	"""Return the single-word, all-letter lemmas of index.pos."""
	out = set()
	with open(os.path.join(wn, "index." + pos), encoding="latin-1") as f:
		for line in f:
			if line.startswith(" "):
				continue
			w = line.split(" ", 1)[0]
			if w.isalpha() and w.isascii():
				out.add(w)
	return out


def exceptions(wn, pos):
	"""Return [(form, lemma)] of pos.exc (irregular inflections)."""
	out = []
	with open(os.path.join(wn, pos + ".exc"), encoding="latin-1") as f:
		for line in f:
			p = line.split()
			if len(p) >= 2 and p[0].isalpha():
				out += [(p[0], lem) for lem in p[1:]]
	return out


def cvc(w):
	"""Return 1 when w ends consonant-vowel-consonant: stop, plan (stopped)."""
	return (len(w) >= 3 and w[-1] not in VOWELS and w[-1] not in "wxy" and
	    w[-2] in VOWELS and w[-3] not in VOWELS)


def plural(w):
	"""Regular plural or third person singular."""
	if w.endswith(("s", "x", "z", "ch", "sh")):
		return w + "es"
	if w.endswith("y") and len(w) > 1 and w[-2] not in VOWELS:
		return w[:-1] + "ies"
	return w + "s"


def verb_forms(v):
	"""Regular forms of a verb: -s, -ed, -ing."""
	out = [plural(v)]
	if v.endswith("e"):
		out.append(v + "d")
		ing = v + "ing" if v.endswith(("ee", "ye", "oe")) else v[:-1] + "ing"
		out.append(v[:-2] + "ying" if v.endswith("ie") else ing)
	elif v.endswith("y") and len(v) > 1 and v[-2] not in VOWELS:
		out += [v[:-1] + "ied", v + "ing"]
	else:
		out += [v + "ed", v + "ing"]
		if cvc(v):
			out += [v + v[-1] + "ed", v + v[-1] + "ing"]
	return out


def adj_forms(a):
	"""Regular comparative and superlative of a short adjective: -er, -est."""
	groups = len(re.findall("[aeiouy]+", a[:-1])) + (a[-1] == "y" and a[-2:-1] not in VOWELS)
	if groups > 2 or (groups == 2 and not a.endswith("y")):
		return []
	if a.endswith("e"):
		return [a + "r", a + "st"]
	if a.endswith("y") and len(a) > 1 and a[-2] not in VOWELS:
		return [a[:-1] + "ier", a[:-1] + "iest"]
	out = [a + "er", a + "est"]
	if cvc(a):
		out += [a + a[-1] + "er", a + a[-1] + "est"]
	return out


def main():
	wn, out = sys.argv[1], sys.argv[2]
	table, others = {}, {}
	if wn != "-" and os.path.exists(os.path.join(wn, "index.noun")):
		table, others = build(wn)
	write(out, table, others)


def build(wn):
	"""Return {form: (class, SemCor count)} for the forms that are seldom
	nouns and the common nouns, and {form: SemCor count} of every other
	form WordNet knows."""
	cnt = counts(wn)
	lem = {p: lemmas(wn, name) for name, p in POS.items()}
	# Each form's readings: pos -> SemCor count of its lemma (the most tagged).
	read = {}

	def add(form, pos, lemma):
		r = read.setdefault(form, {})
		r[pos] = max(r.get(pos, 0), cnt.get((lemma, pos), 0))

	for p in "narv":
		for w in lem[p]:
			add(w, p, w)
	for w in lem["n"]:
		add(plural(w), "n", w)
	for w in lem["v"]:
		for form in verb_forms(w):
			add(form, "v", w)
	for w in lem["a"]:
		for form in adj_forms(w):
			add(form, "a", w)
	for name, p in POS.items():
		for form, lemma in exceptions(wn, name):
			if lemma in lem[p]:
				add(form, p, lemma)
	nouns = common_nouns(wn)
	table, others = {}, {}
	for form, r in read.items():
		cls, seen = classify(r)
		if cls != rule(form) and seen >= MIN_COUNT:
			table[form] = (cls, seen)
		else:
			others[form] = seen
	# The common nouns, where the suffix rule gives a noun too; singular
	# only: lang.c takes a plural's -s, -es or -ies off to look it up.
	for w, n in nouns.items():
		if n >= MIN_COUNT and w in others and rule(w) == NOUN and classify(read[w])[0] == NOUN:
			table[w] = (NOUN, n)
			del others[w]
	return table, others


def classify(r):
	"""Return the class of a form's readings and the SemCor count behind it."""
	n = r.get("n", 0)
	best, bp = 0, None
	for p in "avr":
		if r.get(p, 0) > best:
			best, bp = r[p], p
	if bp is None:
		return NOUN, n
	# How often the form is a noun, the counts smoothed (Laplace).
	noun = (n + 1) / (n + best + 2) if "n" in r else 0
	if noun >= NOUN_SHARE:
		return NOUN, max(n, best)
	if bp == "a":
		return ADJ, best
	if bp == "v" and noun >= VERB_NOUN_SHARE:
		return VERB, best
	return OTHER, best


def rule(w):
	"""The class lang.c gives a form the table does not list: by its suffix."""
	if len(w) > 4 and w.endswith(("ed", "ly")):
		return OTHER
	return NOUN


def slot(form):
	"""The bucket and key of a form in the table."""
	h = fold(form)
	return h >> (32 - BUCKET_BITS), (h >> (32 - BUCKET_BITS - KEY_BITS)) & ((1 << KEY_BITS) - 1)


def write(out, table, others):
	"""Write the header: per bucket (the hash's top BUCKET_BITS), the next
	KEY_BITS of each form's hash, sorted, with its class in the low 2 bits:
	16 bits a form. A slot two listed forms of different classes share is
	left out (or kept for the one that is no noun, when the other is), and so is one a form not listed would hit when that form is
	the more frequent: every form WordNet knows is looked up right, or falls
	back to the suffix rule."""
	entries, seen = {}, {}
	clash = set()
	# The forms that are seldom nouns first: a common noun that shares
	# their slot is left out, not they.
	for form, (cls, n) in sorted(table.items(), key=lambda x: x[1][0] == NOUN):
		k = slot(form)
		if k in entries and entries[k] != cls:
			if cls == NOUN:
				continue
			clash.add(k)
		entries[k] = cls
		seen[k] = max(seen.get(k, 0), n)
	for form, n in others.items():
		k = slot(form)
		if k in entries and n >= seen[k]:
			clash.add(k)
	keys = sorted(k for k in entries if k not in clash)
	at = [0] * ((1 << BUCKET_BITS) + 1)
	for b, _ in keys:
		at[b + 1] += 1
	for i in range(1, len(at)):
		at[i] += at[i - 1]
	vals = [(key << 2) | entries[(b, key)] for b, key in keys]
	with open(out + ".tmp", "w") as f:
		f.write("/* Generated by daemon/poslex.py from WordNet 3.0: do not edit. */\n")
		f.write("#include <stdint.h>\n")
		f.write("#define POSLEX_N %d\n" % len(vals))
		f.write("#define POSLEX_BUCKET_BITS %d\n" % BUCKET_BITS)
		f.write("#define POSLEX_KEY_BITS %d\n" % KEY_BITS)
		f.write("static const uint16_t poslex_en[%d] = {\n" % max(len(vals), 1))
		for i in range(0, max(len(vals), 1), 10):
			f.write("\t" + ", ".join("0x%04x" % v for v in (vals or [0])[i:i + 10]) + ",\n")
		f.write("};\n")
		f.write("static const uint16_t poslex_en_at[%d] = {\n" % len(at))
		for i in range(0, len(at), 10):
			f.write("\t" + ", ".join("%d" % v for v in at[i:i + 10]) + ",\n")
		f.write("};\n")
	os.replace(out + ".tmp", out)


if __name__ == "__main__":
	main()
