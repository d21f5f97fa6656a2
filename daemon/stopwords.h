/*
 * stopwords — the words that carry no topic, per language, lower case.
 *
 * Written by hand for lang.c (short lists after the Snowball project's,
 * plus, for English, the verbs, adverbs and vague nouns that news uses
 * everywhere and that would otherwise start or end a key phrase).
 * Words are UTF-8, lower case, one string each.
 */
#ifndef NEWSDIGEST_STOPWORDS_H
#define NEWSDIGEST_STOPWORDS_H

static const char *const stopwords_en[] = {
	"a", "about", "above", "across", "after", "afterwards", "again", "against", "ago", "ahead",
	"all", "almost", "alone", "along", "already", "also", "although", "always", "am", "among",
	"amongst", "an", "and", "another", "any", "anyone", "anything", "anyway", "are", "around",
	"as", "ask", "asked", "asking", "at", "away", "back", "be", "became", "because", "become",
	"becomes", "been", "before", "began", "begin", "behind", "being", "believe", "believed",
	"below", "beside", "besides", "best", "better", "between", "beyond", "big", "bn", "both",
	"bring", "brought", "but", "by", "call", "called", "came", "can", "cannot", "come",
	"comes", "coming", "could", "day", "days", "did", "do", "does", "doing", "done", "down",
	"due", "during", "each", "early", "either", "else", "enough", "especially", "even", "ever",
	"every", "everyone", "everything", "expected", "far", "few", "find", "first", "for",
	"former", "found", "four", "from", "further", "gave", "get", "gets", "getting", "give",
	"given", "gives", "go", "goes", "going", "gone", "good", "got", "great", "had", "has",
	"have", "having", "he", "held", "help", "her", "here", "hers", "herself", "high", "him",
	"himself", "his", "how", "however", "i", "if", "in", "including", "into", "is", "it",
	"its", "itself", "just", "keep", "kept", "kg", "km", "know", "known", "large", "last",
	"late", "later", "least", "less", "let", "like", "likely", "little", "long", "look",
	"looking", "lot", "made", "main", "major", "make", "makes", "making", "many", "may", "me",
	"mean", "means", "meanwhile", "might", "mln", "more", "moreover", "most", "mostly", "move",
	"mph", "mr", "mrs", "ms", "much", "must", "my", "myself", "near", "nearly", "need",
	"needed", "needs", "never", "new", "next", "nine", "no", "nobody", "none", "nor", "not",
	"nothing", "now", "of", "off", "often", "old", "on", "once", "one", "ones", "only", "onto",
	"or", "other", "others", "otherwise", "our", "ours", "ourselves", "out", "over", "own",
	"part", "past", "pct", "per", "perhaps", "place", "put", "quite", "rather", "really",
	"recent", "recently", "right", "run", "said", "same", "saw", "say", "saying", "says",
	"second", "see", "seem", "seemed", "seems", "seen", "set", "seven", "several", "she",
	"should", "show", "showed", "shown", "side", "since", "six", "small", "so", "some",
	"someone", "something", "sometimes", "soon", "still", "such", "sure", "take", "taken",
	"takes", "taking", "tell", "ten", "than", "that", "the", "their", "theirs", "them",
	"themselves", "then", "there", "therefore", "these", "they", "thing", "things", "think",
	"third", "this", "those", "though", "thought", "three", "through", "throughout", "thus",
	"time", "times", "to", "today", "together", "told", "too", "took", "toward", "towards",
	"tried", "try", "trying", "turn", "turned", "two", "under", "unless", "until", "up",
	"upon", "us", "use", "used", "using", "very", "via", "want", "wanted", "wants", "was",
	"way", "ways", "we", "week", "weeks", "well", "went", "were", "what", "whatever", "when",
	"where", "whether", "which", "while", "who", "whole", "whom", "whose", "why", "will",
	"with", "within", "without", "would", "year", "years", "yes", "yesterday", "yet", "you",
	"your", "yours", "yourself", "monday", "tuesday", "wednesday", "thursday", "friday",
	"saturday", "sunday", "january", "february", "march", "april", "june", "july", "august",
	"september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul",
	"aug", "sep", "sept", "oct", "nov", "dec", "percent", "cent", "million", "billion",
	"thousand", "hundred", "five", "eight", "month", "months", "tonight", "tomorrow",
	"morning", "evening", "night", "according", "added", "adding", "told", "went", "around",
	"among", "able", "across", "actually", "ago", "almost", "announced", "another", "became",
	"certain", "clear", "different", "following", "full", "general", "hard", "important",
	"instead", "kind", "lead", "led", "left", "likely", "making", "matter", "maybe", "number",
	"numbers", "possible", "probably", "real", "reported", "reports", "seemed", "similar",
	"simply", "start", "started", "thanks", "top", "true", "whose", "wide", "am", "pm", "etc",
	"ie", "eg", "don't", "doesn't", "didn't", "isn't", "wasn't", "aren't", "weren't", "won't",
	"can't", "couldn't", "wouldn't", "shouldn't", "hasn't", "haven't", "hadn't", "it's",
	"he's", "she's", "that's", "there's", "they're", "we're", "you're", "i'm", "i've", "we've",
	"they've", "i'd", "we'll", "they'll", "i'll", "let's", "read", "photo", "photos", "image",
	"images", "video", "click", "share", "official", "officials", "spokesman", "spokeswoman",
	"spokesperson",
};

static const char *const stopwords_de[] = {
	"aber", "alle", "allem", "allen", "aller", "alles", "als", "also", "am", "an", "ander",
	"andere", "anderen", "anderer", "anderes", "auch", "auf", "aus", "bei", "bin", "bis",
	"bist", "da", "damit", "dann", "das", "dass", "daß", "dem", "den", "denn", "der", "des",
	"dessen", "die", "dies", "diese", "diesem", "diesen", "dieser", "dieses", "doch", "dort",
	"du", "durch", "ein", "eine", "einem", "einen", "einer", "eines", "er", "es", "etwas",
	"für", "gegen", "gewesen", "hab", "habe", "haben", "hat", "hatte", "hatten", "hier",
	"hin", "hinter", "ich", "ihm", "ihn", "ihnen", "ihr", "ihre", "ihrem", "ihren", "ihrer",
	"im", "in", "indem", "ins", "ist", "jede", "jedem", "jeden", "jeder", "jedes", "jetzt",
	"kann", "kein", "keine", "können", "machen", "man", "mehr", "mein", "mit", "muss",
	"nach", "nicht", "nichts", "noch", "nun", "nur", "ob", "oder", "ohne", "sehr", "sein",
	"seine", "seinem", "seinen", "seiner", "sich", "sie", "sind", "so", "soll", "sollte",
	"sondern", "über", "um", "und", "uns", "unter", "viel", "vom", "von", "vor", "war",
	"waren", "warum", "was", "weil", "welche", "wenn", "werden", "wie", "wieder", "will",
	"wir", "wird", "wo", "wurde", "wurden", "zu", "zum", "zur", "zwei", "zwischen", "sagte",
	"heute", "jahr", "jahre", "prozent", "millionen", "milliarden", "wer", "wen", "wem",
	"wessen", "wann", "wieso", "weshalb", "woher", "wohin", "womit", "welcher", "welches",
	"welchen", "welchem", "denen", "deren", "einige", "einigen", "einiger", "einiges",
	"manche", "manchen", "solche", "solchen", "jene", "jenen", "jener", "jenes", "mich",
	"mir", "dich", "dir", "euch", "unser", "unsere", "unseren", "unserem", "meine", "meinen",
	"meinem", "meiner", "dein", "deine", "ihres", "seines", "sei", "wäre", "würde", "würden",
	"könnte", "könnten", "konnte", "konnten", "sollen", "sollten", "müssen", "musste",
	"mussten", "wollen", "wollte", "darf", "werde", "worden", "gibt", "gab", "ab", "wegen",
	"während", "seit", "neben", "dazu", "davon", "dabei", "darauf", "darin", "daran",
	"dafür", "dadurch", "hätte", "hätten", "einmal", "ganz", "zwar", "etwa", "bisher",
	"sowie", "sowohl", "jedoch", "bereits", "schon", "immer", "selbst", "zudem",
	"außerdem", "allerdings", "trotzdem", "deshalb", "daher", "beim", "ans", "aufs", "fürs",
	"ums", "übers", "viele", "vielen", "vieler", "erste", "erster", "ersten", "erstes",
	"zweite", "zweiter", "zweiten", "dritte", "dritter", "dritten", "letzte", "letzten",
	"nachdem", "bevor", "obwohl", "sodass", "falls", "sobald", "solange", "seitdem", "wobei",
	"weder",
};

static const char *const stopwords_fr[] = {
	"a", "à", "ai", "au", "aussi", "aux", "avait", "avec", "avoir", "c", "ce", "ces", "cet",
	"cette", "comme", "d", "dans", "de", "des", "deux", "donc", "du", "elle", "elles", "en",
	"encore", "entre", "est", "et", "été", "être", "eu", "il", "ils", "j", "je", "l", "la",
	"le", "les", "leur", "leurs", "lui", "m", "ma", "mais", "me", "même", "mes", "moi", "mon",
	"n", "ne", "nos", "notre", "nous", "on", "ont", "ou", "où", "par", "pas", "plus", "pour",
	"qu", "que", "qui", "s", "sa", "sans", "se", "selon", "ses", "si", "son", "sont", "sous",
	"sur", "t", "ta", "te", "tes", "toi", "ton", "tous", "tout", "toute", "tu", "un", "une",
	"vos", "votre", "vous", "y", "fait", "faire", "peut", "après", "avant", "depuis",
	"lors", "dont", "ans", "an", "année", "millions", "milliards", "a-t-il", "selon",
};

static const char *const stopwords_es[] = {
	"a", "al", "algo", "como", "con", "contra", "cual", "cuando", "de", "del", "desde",
	"donde", "durante", "e", "el", "él", "ella", "ellas", "ellos", "en", "entre", "era",
	"es", "esa", "ese", "eso", "esta", "está", "este", "esto", "fue", "fueron", "ha", "había",
	"han", "hasta", "hay", "la", "las", "le", "les", "lo", "los", "más", "me", "mi", "muy",
	"nada", "ni", "no", "nos", "nosotros", "o", "otra", "otro", "para", "pero", "poco",
	"por", "porque", "que", "qué", "quien", "se", "ser", "si", "sí", "sin", "sobre", "son",
	"su", "sus", "también", "tanto", "te", "tiene", "todo", "todos", "tu", "un", "una",
	"uno", "unos", "y", "ya", "yo", "dijo", "año", "años", "millones", "según", "tras",
};

static const char *const stopwords_it[] = {
	"a", "ad", "al", "alla", "alle", "anche", "che", "chi", "ci", "come", "con", "contro",
	"cui", "da", "dal", "dalla", "dei", "del", "della", "delle", "degli", "di", "dopo",
	"e", "è", "ed", "era", "essere", "fa", "gli", "ha", "hanno", "i", "il", "in", "io", "la",
	"le", "lei", "li", "lo", "loro", "lui", "ma", "mi", "nei", "nel", "nella", "non", "noi",
	"o", "per", "più", "quando", "quella", "quello", "questa", "questo", "se", "si", "sia",
	"sono", "su", "sua", "sue", "sui", "sul", "sulla", "suo", "suoi", "tra", "tutti",
	"tutto", "un", "una", "uno", "anni", "anno", "milioni", "ha", "detto", "stato", "stata",
};

static const char *const stopwords_nl[] = {
	"aan", "al", "alles", "als", "bij", "daar", "dan", "dat", "de", "der", "deze", "die",
	"dit", "doch", "doen", "door", "dus", "een", "en", "er", "ge", "geen", "geweest", "haar",
	"had", "heb", "hebben", "heeft", "hem", "het", "hier", "hij", "hoe", "hun", "iets",
	"ik", "in", "is", "ja", "je", "kan", "kon", "maar", "me", "meer", "men", "met", "mij",
	"mijn", "moet", "na", "naar", "niet", "niets", "nog", "nu", "of", "om", "omdat", "ons",
	"ook", "op", "over", "te", "tegen", "toch", "toen", "tot", "u", "uit", "van", "veel",
	"voor", "want", "waren", "was", "wat", "we", "wel", "werd", "wie", "wij", "wil", "worden",
	"wordt", "zal", "ze", "zei", "zich", "zij", "zijn", "zo", "zou", "jaar", "miljoen",
};

static const char *const stopwords_pt[] = {
	"a", "à", "ao", "aos", "as", "com", "como", "da", "das", "de", "dela", "dele", "do",
	"dos", "e", "é", "ela", "elas", "ele", "eles", "em", "entre", "era", "essa", "esse",
	"esta", "está", "este", "eu", "foi", "foram", "há", "isso", "isto", "já", "lhe", "mais",
	"mas", "me", "mesmo", "muito", "na", "nas", "não", "nem", "no", "nos", "num", "numa",
	"o", "os", "ou", "para", "pela", "pelas", "pelo", "pelos", "por", "qual", "quando",
	"que", "quem", "se", "sem", "ser", "seu", "seus", "só", "sua", "suas", "também", "te",
	"tem", "um", "uma", "umas", "uns", "você", "disse", "ano", "anos", "milhões", "segundo",
};

static const char *const stopwords_ru[] = {
	"а", "без", "более", "бы", "был", "была", "были", "было", "быть", "в", "вам", "вас",
	"весь", "во", "вот", "все", "всего", "всех", "вы", "где", "да", "даже", "для", "до",
	"его", "ее", "её", "если", "есть", "еще", "ещё", "же", "за", "здесь", "и", "из", "или",
	"им", "их", "к", "как", "ко", "когда", "кто", "ли", "либо", "мне", "может", "мы", "на",
	"над", "надо", "наш", "не", "него", "нее", "нет", "ни", "них", "но", "ну", "о", "об",
	"однако", "он", "она", "они", "оно", "от", "очень", "по", "под", "при", "с", "со",
	"так", "также", "такой", "там", "те", "тем", "то", "того", "тоже", "той", "только",
	"том", "ты", "у", "уже", "хотя", "чего", "чей", "чем", "что", "чтобы", "чье", "эта",
	"эти", "это", "этот", "я", "сказал", "года", "году", "лет", "млн", "млрд", "заявил",
	"немного", "вообще", "сейчас", "сразу", "кого", "кому", "чему", "потом", "тут",
	"всегда", "никогда", "иногда", "опять", "снова", "теперь", "почти", "просто",
	"именно", "лишь", "ведь", "этого", "этой", "этом", "этим", "которые", "который",
	"которая", "которое", "которых", "которым", "нужно", "можно",
};

#endif
