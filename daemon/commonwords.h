/*
 * commonwords — English words too common to name a topic on their own.
 *
 * Written by hand for lang.c from general knowledge of English (the
 * nouns, adjectives and verbs any text uses, whatever it is about), not
 * taken from any corpus: the tagger's prior, as a document frequency
 * would be. A key phrase may hold them ("health care", "final census
 * totals"); they weigh less in it. Lower case, each ended by a NUL; they are
 * stemmed when the language is made, so "years" and "year" are one.
 */
#ifndef NEWSDIGEST_COMMONWORDS_H
#define NEWSDIGEST_COMMONWORDS_H

static const char commonwords_en[] =
	/* People and time. */
	"people\0" "person\0" "man\0" "men\0" "woman\0" "women\0" "child\0" "children\0" "kid\0"
	"kids\0" "friend\0" "guy\0" "member\0" "someone\0" "everybody\0" "time\0" "times\0"
	"year\0"
	"month\0" "week\0" "hour\0" "minute\0" "moment\0" "today\0" "yesterday\0" "tomorrow\0"
	"tonight\0" "night\0" "morning\0" "evening\0" "afternoon\0" "weekend\0" "period\0" "age\0"
	"future\0" "history\0" "season\0" "decade\0" "century\0" "date\0" "while\0" "start\0"
	/* Things in general. */
	"thing\0" "way\0" "point\0" "case\0" "fact\0" "group\0" "number\0" "kind\0" "sort\0"
	"type\0"
	"end\0" "area\0" "world\0" "life\0" "work\0" "job\0" "issue\0" "problem\0" "question\0"
	"reason\0" "result\0" "change\0" "idea\0" "level\0" "system\0" "plan\0" "report\0"
	"information\0" "story\0" "word\0" "name\0" "line\0" "hand\0" "head\0" "eye\0" "face\0"
	"body\0" "form\0" "order\0" "term\0" "list\0" "example\0" "matter\0" "situation\0"
	"effort\0"
	"effect\0" "position\0" "process\0" "role\0" "step\0" "action\0" "event\0" "experience\0"
	"interest\0" "chance\0" "sense\0" "view\0" "detail\0" "details\0" "option\0" "choice\0"
	"amount\0" "rate\0" "percent\0" "total\0" "half\0" "top\0" "bottom\0" "front\0" "lead\0"
	"piece\0" "use\0" "need\0" "attempt\0" "move\0" "decision\0" "statement\0" "comment\0"
	"comments\0" "source\0" "sources\0" "spokesman\0" "spokeswoman\0" "official\0"
	"officials\0"
	"team\0" "deal\0" "call\0" "help\0" "look\0" "hope\0" "show\0" "stuff\0"
	"lots\0" "bit\0" "couple\0" "range\0" "series\0" "set\0" "state\0" "public\0" "country\0"
	"city\0" "town\0" "community\0" "street\0" "house\0" "home\0" "room\0" "office\0" "place\0"
	"site\0" "region\0" "money\0" "news\0" "press\0" "media\0" "interview\0" "video\0"
	"photo\0"
	"picture\0" "image\0" "website\0" "online\0" "page\0" "daily\0"
	/* Qualities. */
	"able\0" "good\0" "great\0" "bad\0" "big\0" "small\0" "large\0" "new\0" "old\0" "young\0"
	"high\0" "low\0" "long\0" "short\0" "important\0" "different\0" "possible\0" "real\0"
	"certain\0" "clear\0" "whole\0" "full\0" "free\0" "hard\0" "easy\0" "recent\0" "current\0"
	"general\0" "similar\0" "various\0" "particular\0" "specific\0" "likely\0" "final\0"
	"special\0" "single\0" "simple\0" "strong\0" "true\0" "available\0" "previous\0"
	"additional\0" "entire\0" "overall\0" "huge\0" "major\0" "significant\0" "serious\0"
	"close\0" "open\0" "ready\0" "key\0" "fine\0" "nice\0" "happy\0" "sorry\0" "right\0"
	"wrong\0" "sure\0" "latest\0" "last\0" "next\0" "early\0" "late\0" "least\0" "better\0"
	"best\0" "worst\0" "own\0" "other\0" "second\0" "third\0" "main\0" "common\0" "local\0"
	"national\0" "international\0" "former\0" "further\0"
	/* Doing. */
	"according\0" "added\0" "announced\0" "began\0" "begin\0" "continue\0" "continued\0"
	"continues\0" "want\0" "wanted\0" "wants\0" "think\0" "thought\0" "try\0" "tried\0"
	"trying\0" "used\0" "using\0" "worked\0" "working\0" "told\0" "tell\0" "tells\0"
	"telling\0" "noted\0" "explained\0" "described\0" "decided\0" "agreed\0" "allowed\0"
	"became\0" "follow\0" "followed\0" "following\0" "happened\0" "hoped\0" "leave\0" "left\0"
	"live\0" "lived\0" "lost\0" "meet\0" "met\0" "offer\0" "offered\0" "opened\0"
	"pay\0" "paid\0"
	"play\0" "played\0" "provide\0" "provided\0" "reach\0" "reached\0" "remain\0" "remained\0"
	"return\0" "returned\0" "spend\0" "spent\0" "stand\0" "stood\0" "turn\0" "turned\0"
	"understand\0" "wait\0" "win\0" "won\0" "write\0" "wrote\0" "written\0" "feel\0" "felt\0"
	"hear\0" "heard\0" "hold\0" "include\0" "included\0" "includes\0" "learn\0" "learned\0"
	"love\0" "led\0" "read\0" "send\0" "sent\0" "serve\0" "sit\0" "speak\0" "spoke\0"
	"stay\0" "stop\0" "talk\0" "talked\0" "went\0" "create\0" "created\0" "build\0" "built\0"
	"changed\0" "consider\0" "considered\0" "expect\0" "appear\0" "appeared\0"
	"suggest\0" "suggested\0" "reported\0" "claim\0" "claimed\0" "claims\0"
	"confirmed\0" "revealed\0" "released\0" "insisted\0" "warned\0" "urged\0" "plans\0"
	"planned\0" "happen\0" "allow\0" "bring\0" "buy\0" "bought\0" "sell\0" "sold\0" "cut\0"
	"hit\0" "keep\0" "faced\0" "fell\0" "rose\0" "rise\0" "fall\0" "raised\0";

#endif
