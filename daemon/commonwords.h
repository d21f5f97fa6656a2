/*
 * commonwords — English words too common to name a topic on their own.
 *
 * Written by hand for lang.c from general knowledge of English (the
 * nouns, adjectives and verbs any text uses, whatever it is about), not
 * taken from any corpus: the tagger's prior, as a document frequency
 * would be. A key phrase may hold them ("health care", "final census
 * totals"); they weigh less in it. Lower case, one string each; they are
 * stemmed when the language is made, so "years" and "year" are one.
 */
#ifndef NEWSDIGEST_COMMONWORDS_H
#define NEWSDIGEST_COMMONWORDS_H

static const char *const commonwords_en[] = {
	/* People and time. */
	"people", "person", "man", "men", "woman", "women", "child", "children", "kid",
	"kids", "friend", "guy", "member", "someone", "everybody", "time", "times", "year",
	"month", "week", "hour", "minute", "moment", "today", "yesterday", "tomorrow",
	"tonight", "night", "morning", "evening", "afternoon", "weekend", "period", "age",
	"future", "history", "season", "decade", "century", "date", "while", "start",
	/* Things in general. */
	"thing", "way", "point", "case", "fact", "group", "number", "kind", "sort", "type",
	"end", "area", "world", "life", "work", "job", "issue", "problem", "question",
	"reason", "result", "change", "idea", "level", "system", "plan", "report",
	"information", "story", "word", "name", "line", "hand", "head", "eye", "face",
	"body", "form", "order", "term", "list", "example", "matter", "situation", "effort",
	"effect", "position", "process", "role", "step", "action", "event", "experience",
	"interest", "chance", "sense", "view", "detail", "details", "option", "choice",
	"amount", "rate", "percent", "total", "half", "top", "bottom", "front", "lead",
	"piece", "use", "need", "attempt", "move", "decision", "statement", "comment",
	"comments", "source", "sources", "spokesman", "spokeswoman", "official", "officials",
	"team", "deal", "call", "help", "look", "hope", "show", "stuff",
	"lots", "bit", "couple", "range", "series", "set", "state", "public", "country",
	"city", "town", "community", "street", "house", "home", "room", "office", "place",
	"site", "region", "money", "news", "press", "media", "interview", "video", "photo",
	"picture", "image", "website", "online", "page", "daily",
	/* Qualities. */
	"able", "good", "great", "bad", "big", "small", "large", "new", "old", "young",
	"high", "low", "long", "short", "important", "different", "possible", "real",
	"certain", "clear", "whole", "full", "free", "hard", "easy", "recent", "current",
	"general", "similar", "various", "particular", "specific", "likely", "final",
	"special", "single", "simple", "strong", "true", "available", "previous",
	"additional", "entire", "overall", "huge", "major", "significant", "serious",
	"close", "open", "ready", "key", "fine", "nice", "happy", "sorry", "right",
	"wrong", "sure", "latest", "last", "next", "early", "late", "least", "better",
	"best", "worst", "own", "other", "second", "third", "main", "common", "local",
	"national", "international", "former", "further",
	/* Doing. */
	"according", "added", "announced", "began", "begin", "continue", "continued",
	"continues", "want", "wanted", "wants", "think", "thought", "try", "tried",
	"trying", "used", "using", "worked", "working", "told", "tell", "tells",
	"telling", "noted", "explained", "described", "decided", "agreed", "allowed",
	"became", "follow", "followed", "following", "happened", "hoped", "leave", "left",
	"live", "lived", "lost", "meet", "met", "offer", "offered", "opened", "pay", "paid",
	"play", "played", "provide", "provided", "reach", "reached", "remain", "remained",
	"return", "returned", "spend", "spent", "stand", "stood", "turn", "turned",
	"understand", "wait", "win", "won", "write", "wrote", "written", "feel", "felt",
	"hear", "heard", "hold", "include", "included", "includes", "learn", "learned",
	"love", "led", "read", "send", "sent", "serve", "sit", "speak", "spoke",
	"stay", "stop", "talk", "talked", "went", "create", "created", "build", "built",
	"changed", "consider", "considered", "expect", "appear", "appeared",
	"suggest", "suggested", "reported", "claim", "claimed", "claims",
	"confirmed", "revealed", "released", "insisted", "warned", "urged", "plans",
	"planned", "happen", "allow", "bring", "buy", "bought", "sell", "sold", "cut",
	"hit", "keep", "faced", "fell", "rose", "rise", "fall", "raised",
};

#endif
