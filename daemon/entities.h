/*
 * entities.h — HTML named character references; included only by text.c.
 *
 * The 252 HTML 4.01 entities and &apos;, plus the HTML5 names of a single
 * code point for ASCII punctuation, Latin-1, Latin Extended-A, General
 * Punctuation and a few common symbols: 528 names, 6058 bytes of tables.
 * The other HTML5 names (mathematical, Fraktur, multi-code-point) are left
 * out to keep the table small; they are not recognised and stay literal text.
 * Names are stored without the ';', sorted by byte value, for a binary
 * search: name i is text_ent_names[text_ent_off[i] .. text_ent_off[i + 1]).
 * TEXT_ENT_LEGACY marks the names HTML lets appear without the ';'.
 *
 * Generated with python3 (html.entities) by this script; do not edit by
 * hand, copy the script to a file and run: python3 FILE > daemon/entities.h
 *
 * # Print daemon/entities.h (this script is quoted in its header comment).
 * import html.entities as h
 * import sys
 *
 * OPEN, CLOSE = "/" + "*", "*" + "/"
 *
 * EXTRA = """
 * 	check checkmark cross star starf bigstar phone female male sung flat natural sharp
 * 	clubsuit diamondsuit heartsuit spadesuit incare numero copysr telrec ohm mho planck
 * 	hbar ell frac13 frac23 frac15 frac25 frac35 frac45 frac16 frac56 frac18 frac38
 * 	frac58 frac78 leftarrow rightarrow uparrow downarrow LeftArrow RightArrow UpArrow
 * 	DownArrow leftrightarrow Rightarrow Leftarrow leq geq NotEqual approx mnplus TRADE
 * 	gacute caret dagger bullet
 * """.split()
 *
 * def wanted(name, cp):
 * 	if name in h.name2codepoint or name == "apos" or name in EXTRA:
 * 		return True
 * 	return cp < 0x80 or 0xA0 <= cp <= 0x17F or 0x2000 <= cp <= 0x206F
 *
 * ents = {}
 * for key, val in h.html5.items():
 * 	name = key.rstrip(";")
 * 	if len(val) == 1 and wanted(name, ord(val)):
 * 		cp, legacy = ents.get(name, (ord(val), False))
 * 		ents[name] = (cp, legacy or not key.endswith(";"))
 * names = sorted(ents)
 * assert all(n in ents for n in list(h.name2codepoint) + ["apos"] + EXTRA)
 * size = sum(map(len, names)) + 1 + 2 * (len(names) + 1) + 4 * len(names)
 *
 * out = []
 * out.append(OPEN)
 * out.append(" * entities.h — HTML named character references; included only by text.c.")
 * out.append(" *")
 * out.append(" * The 252 HTML 4.01 entities and &apos;, plus the HTML5 names of a single")
 * out.append(" * code point for ASCII punctuation, Latin-1, Latin Extended-A, General")
 * out.append(" * Punctuation and a few common symbols: %d names, %d bytes of tables." %
 *     (len(names), size))
 * out.append(" * The other HTML5 names (mathematical, Fraktur, multi-code-point) are left")
 * out.append(" * out to keep the table small; they are not recognised and stay literal text.")
 * out.append(" * Names are stored without the ';', sorted by byte value, for a binary")
 * out.append(" * search: name i is text_ent_names[text_ent_off[i] .. text_ent_off[i + 1]).")
 * out.append(" * TEXT_ENT_LEGACY marks the names HTML lets appear without the ';'.")
 * out.append(" *")
 * out.append(" * Generated with python3 (html.entities) by this script; do not edit by")
 * out.append(" * hand, copy the script to a file and run: python3 FILE > daemon/entities.h")
 * out.append(" *")
 * for line in open(sys.argv[0]).read().rstrip("\n").split("\n"):
 * 	out.append((" * " + line).rstrip())
 * out.append(" " + CLOSE)
 * out.append("")
 * out.append("#define TEXT_ENT_COUNT\t\t%d" % len(names))
 * out.append("#define TEXT_ENT_MAXLEN\t\t%d\t%s longest name %s" %
 *     (max(map(len, names)), OPEN, CLOSE))
 * out.append("#define TEXT_ENT_LEGACY_MAXLEN\t%d\t%s longest name allowed without ';' %s" %
 *     (max(len(n) for n in names if ents[n][1]), OPEN, CLOSE))
 * out.append("#define TEXT_ENT_LEGACY\t\t0x80000000u\t%s flag in text_ent_cp %s" % (OPEN, CLOSE))
 * out.append("")
 * out.append("static const char text_ent_names[] =")
 * line = "\t\""
 * for n in names:
 * 	if len(line.expandtabs(8)) + len(n) + 1 > 100:
 * 		out.append(line + "\"")
 * 		line = "\t\""
 * 	line += n
 * out.append(line + "\";")
 * out.append("")
 * out.append("static const uint16_t text_ent_off[TEXT_ENT_COUNT + 1] = {")
 * offs, pos = [], 0
 * for n in names:
 * 	offs.append(pos)
 * 	pos += len(n)
 * offs.append(pos)
 * for i in range(0, len(offs), 12):
 * 	out.append("\t" + ", ".join("%d" % o for o in offs[i:i + 12]) + ",")
 * out.append("};")
 * out.append("")
 * out.append("static const uint32_t text_ent_cp[TEXT_ENT_COUNT] = {")
 * cps = []
 * for n in names:
 * 	cp, legacy = ents[n]
 * 	cps.append("0x%04x" % cp + (" | TEXT_ENT_LEGACY" if legacy else ""))
 * line = "\t"
 * for c in cps:
 * 	if len(line.expandtabs(8)) + len(c) + 2 > 100:
 * 		out.append(line.rstrip())
 * 		line = "\t"
 * 	line += c + ", "
 * out.append(line.rstrip())
 * out.append("};")
 * print("\n".join(out))
 */

#define TEXT_ENT_COUNT		528
#define TEXT_ENT_MAXLEN		21	/* longest name */
#define TEXT_ENT_LEGACY_MAXLEN	6	/* longest name allowed without ';' */
#define TEXT_ENT_LEGACY		0x80000000u	/* flag in text_ent_cp */

static const char text_ent_names[] =
	"AEligAMPAacuteAbreveAcircAgraveAlphaAmacrAogonApplyFunctionAringAtildeAumlBetaCOPYCacute"
	"CcaronCcedilCcircCdotCedillaCenterDotChiCloseCurlyDoubleQuoteCloseCurlyQuoteDaggerDcaron"
	"DeltaDiacriticalAcuteDiacriticalGraveDotDoubleDotDownArrowDstrokENGETHEacuteEcaronEcirc"
	"EdotEgraveEmacrEogonEpsilonEtaEumlGTGammaGbreveGcedilGcircGdotHatHcircHstrokIJligIacute"
	"IcircIdotIgraveImacrInvisibleCommaInvisibleTimesIogonIotaItildeIumlJcircKappaKcedilLT"
	"LacuteLambdaLcaronLcedilLeftArrowLeftarrowLmidotLstrokMediumSpaceMuNacuteNcaronNcedil"
	"NegativeMediumSpaceNegativeThickSpaceNegativeThinSpaceNegativeVeryThinSpaceNewLineNoBreak"
	"NonBreakingSpaceNotEqualNtildeNuOEligOacuteOcircOdblacOgraveOmacrOmegaOmicron"
	"OpenCurlyDoubleQuoteOpenCurlyQuoteOslashOtildeOumlOverBarPhiPiPlusMinusPrimePsiQUOTREG"
	"RacuteRcaronRcedilRhoRightArrowRightarrowSacuteScaronScedilScircSigmaTHORNTRADETabTau"
	"TcaronTcedilThetaThinSpaceTstrokUacuteUbreveUcircUdblacUgraveUmacrUnderBarUogonUpArrow"
	"UpsilonUringUtildeUumlVerbarVertVerticalLineVeryThinSpaceWcircXiYacuteYcircYumlZacute"
	"ZcaronZdotZeroWidthSpaceZetaaacuteabreveacircacuteaeligafagravealefsymalphaamacrampandang"
	"angstaogonaposapproxaringastasympatildeaumlbackprimebdquobetabigstarbprimebrvbarbsemibsol"
	"bullbulletcacutecapcaretccaronccedilccirccdotcedilcentcenterdotcheckcheckmarkchicirc"
	"circledRclubsclubsuitcoloncommacommatcongcopycopysrcrarrcrosscupcurrendArrdaggerdarrdash"
	"dcaronddaggerdegdeltadiamondsuitdiamsdiedivdividedollardownarrowdstrokeacuteecaronecirc"
	"edotegraveellemacremptyemspemsp13emsp14engenspeogonepsilonequalsequivetaetheumleuroexcl"
	"existfemaleflatfnofforallfrac12frac13frac14frac15frac16frac18frac23frac25frac34frac35"
	"frac38frac45frac56frac58frac78fraslgacutegammagbrevegcircgdotgegeqgravegthArrhairsphalf"
	"harrhbarhcircheartsheartsuithelliphorbarhstrokhybullhypheniacuteicicirciexcligraveijlig"
	"imacrimageimathincareinfininodotintiogoniotaiquestisinititildeiumljcirckappakcedilkgreen"
	"lArrlacutelambdalanglaquolarrlbracelbracklcaronlcedillceillcubldquoldquorleleftarrow"
	"leftrightarrowleqlfloorlmidotlowastlowbarlozlparlrmlsaquolsqblsquolsquorlstrokltmacrmale"
	"mdashmhomicromidastmiddotminusmldrmnplusmunablanacutenaposnaturalnbspncaronncedilndashneni"
	"nldrnotnotinnsubntildenunumnumeronumspoacuteocircodblacoeligograveohmolineomacromega"
	"omicronoplusorordfordmoslashotildeotimesoumlparapartpercntperiodpermilperppertenkphiphone"
	"pipivplanckplusplusmnpmpoundprimeprodproppsipuncspqprimequestquotrArrracuteradicrangraquo"
	"rarrrbracerbrackrcaronrcedilrceilrcubrdquordquorrealregrfloorrhorightarrowrlmrparrsaquo"
	"rsqbrsquorsquorsacutesbquoscaronscedilscircsdotsectsemisharpshysigmasigmafsimsolspades"
	"spadesuitstarstarfstrnssubsubesumsungsupsup1sup2sup3supeszligtautcarontcediltelrecthere4"
	"thetathetasymthinspthorntildetimestprimetradetstrokuArruacuteuarrubreveucircudblacugrave"
	"umacrumluogonuparrowupsihupsilonuringutildeuumlverbarvertwcircweierpxiyacuteycircyenyuml"
	"zacutezcaronzdotzetazwjzwnj";

static const uint16_t text_ent_off[TEXT_ENT_COUNT + 1] = {
	0, 5, 8, 14, 20, 25, 31, 36, 41, 46, 59, 64,
	70, 74, 78, 82, 88, 94, 100, 105, 109, 116, 125, 128,
	149, 164, 170, 176, 181, 197, 213, 216, 225, 234, 240, 243,
	246, 252, 258, 263, 267, 273, 278, 283, 290, 293, 297, 299,
	304, 310, 316, 321, 325, 328, 333, 339, 344, 350, 355, 359,
	365, 370, 384, 398, 403, 407, 413, 417, 422, 427, 433, 435,
	441, 447, 453, 459, 468, 477, 483, 489, 500, 502, 508, 514,
	520, 539, 557, 574, 595, 602, 609, 625, 633, 639, 641, 646,
	652, 657, 663, 669, 674, 679, 686, 706, 720, 726, 732, 736,
	743, 746, 748, 757, 762, 765, 769, 772, 778, 784, 790, 793,
	803, 813, 819, 825, 831, 836, 841, 846, 851, 854, 857, 863,
	869, 874, 883, 889, 895, 901, 906, 912, 918, 923, 931, 936,
	943, 950, 955, 961, 965, 971, 975, 987, 1000, 1005, 1007, 1013,
	1018, 1022, 1028, 1034, 1038, 1052, 1056, 1062, 1068, 1073, 1078, 1083,
	1085, 1091, 1098, 1103, 1108, 1111, 1114, 1117, 1122, 1127, 1131, 1137,
	1142, 1145, 1150, 1156, 1160, 1169, 1174, 1178, 1185, 1191, 1197, 1202,
	1206, 1210, 1216, 1222, 1225, 1230, 1236, 1242, 1247, 1251, 1256, 1260,
	1269, 1274, 1283, 1286, 1290, 1298, 1303, 1311, 1316, 1321, 1327, 1331,
	1335, 1341, 1346, 1351, 1354, 1360, 1364, 1370, 1374, 1378, 1384, 1391,
	1394, 1399, 1410, 1415, 1418, 1421, 1427, 1433, 1442, 1448, 1454, 1460,
	1465, 1469, 1475, 1478, 1483, 1488, 1492, 1498, 1504, 1507, 1511, 1516,
	1523, 1529, 1534, 1537, 1540, 1544, 1548, 1552, 1557, 1563, 1567, 1571,
	1577, 1583, 1589, 1595, 1601, 1607, 1613, 1619, 1625, 1631, 1637, 1643,
	1649, 1655, 1661, 1667, 1672, 1678, 1683, 1689, 1694, 1698, 1700, 1703,
	1708, 1710, 1714, 1720, 1724, 1728, 1732, 1737, 1743, 1752, 1758, 1764,
	1770, 1776, 1782, 1788, 1790, 1795, 1800, 1806, 1811, 1816, 1821, 1826,
	1832, 1837, 1843, 1846, 1851, 1855, 1861, 1865, 1867, 1873, 1877, 1882,
	1887, 1893, 1899, 1903, 1909, 1915, 1919, 1924, 1928, 1934, 1940, 1946,
	1952, 1957, 1961, 1966, 1972, 1974, 1983, 1997, 2000, 2006, 2012, 2018,
	2024, 2027, 2031, 2034, 2040, 2044, 2049, 2055, 2061, 2063, 2067, 2071,
	2076, 2079, 2084, 2090, 2096, 2101, 2105, 2111, 2113, 2118, 2124, 2129,
	2136, 2140, 2146, 2152, 2157, 2159, 2161, 2165, 2168, 2173, 2177, 2183,
	2185, 2188, 2194, 2199, 2205, 2210, 2216, 2221, 2227, 2230, 2235, 2240,
	2245, 2252, 2257, 2259, 2263, 2267, 2273, 2279, 2285, 2289, 2293, 2297,
	2303, 2309, 2315, 2319, 2326, 2329, 2334, 2336, 2339, 2345, 2349, 2355,
	2357, 2362, 2367, 2371, 2375, 2378, 2384, 2390, 2395, 2399, 2403, 2409,
	2414, 2418, 2423, 2427, 2433, 2439, 2445, 2451, 2456, 2460, 2465, 2471,
	2475, 2478, 2484, 2487, 2497, 2500, 2504, 2510, 2514, 2519, 2525, 2531,
	2536, 2542, 2548, 2553, 2557, 2561, 2565, 2570, 2573, 2578, 2584, 2587,
	2590, 2596, 2605, 2609, 2614, 2619, 2622, 2626, 2629, 2633, 2636, 2640,
	2644, 2648, 2652, 2657, 2660, 2666, 2672, 2678, 2684, 2689, 2697, 2703,
	2708, 2713, 2718, 2724, 2729, 2735, 2739, 2745, 2749, 2755, 2760, 2766,
	2772, 2777, 2780, 2785, 2792, 2797, 2804, 2809, 2815, 2819, 2825, 2829,
	2834, 2840, 2842, 2848, 2853, 2856, 2860, 2866, 2872, 2876, 2880, 2883,
	2887,
};

static const uint32_t text_ent_cp[TEXT_ENT_COUNT] = {
	0x00c6 | TEXT_ENT_LEGACY, 0x0026 | TEXT_ENT_LEGACY, 0x00c1 | TEXT_ENT_LEGACY, 0x0102,
	0x00c2 | TEXT_ENT_LEGACY, 0x00c0 | TEXT_ENT_LEGACY, 0x0391, 0x0100, 0x0104, 0x2061,
	0x00c5 | TEXT_ENT_LEGACY, 0x00c3 | TEXT_ENT_LEGACY, 0x00c4 | TEXT_ENT_LEGACY, 0x0392,
	0x00a9 | TEXT_ENT_LEGACY, 0x0106, 0x010c, 0x00c7 | TEXT_ENT_LEGACY, 0x0108, 0x010a, 0x00b8,
	0x00b7, 0x03a7, 0x201d, 0x2019, 0x2021, 0x010e, 0x0394, 0x00b4, 0x0060, 0x00a8, 0x00a8,
	0x2193, 0x0110, 0x014a, 0x00d0 | TEXT_ENT_LEGACY, 0x00c9 | TEXT_ENT_LEGACY, 0x011a,
	0x00ca | TEXT_ENT_LEGACY, 0x0116, 0x00c8 | TEXT_ENT_LEGACY, 0x0112, 0x0118, 0x0395, 0x0397,
	0x00cb | TEXT_ENT_LEGACY, 0x003e | TEXT_ENT_LEGACY, 0x0393, 0x011e, 0x0122, 0x011c, 0x0120,
	0x005e, 0x0124, 0x0126, 0x0132, 0x00cd | TEXT_ENT_LEGACY, 0x00ce | TEXT_ENT_LEGACY, 0x0130,
	0x00cc | TEXT_ENT_LEGACY, 0x012a, 0x2063, 0x2062, 0x012e, 0x0399, 0x0128,
	0x00cf | TEXT_ENT_LEGACY, 0x0134, 0x039a, 0x0136, 0x003c | TEXT_ENT_LEGACY, 0x0139, 0x039b,
	0x013d, 0x013b, 0x2190, 0x21d0, 0x013f, 0x0141, 0x205f, 0x039c, 0x0143, 0x0147, 0x0145,
	0x200b, 0x200b, 0x200b, 0x200b, 0x000a, 0x2060, 0x00a0, 0x2260, 0x00d1 | TEXT_ENT_LEGACY,
	0x039d, 0x0152, 0x00d3 | TEXT_ENT_LEGACY, 0x00d4 | TEXT_ENT_LEGACY, 0x0150,
	0x00d2 | TEXT_ENT_LEGACY, 0x014c, 0x03a9, 0x039f, 0x201c, 0x2018, 0x00d8 | TEXT_ENT_LEGACY,
	0x00d5 | TEXT_ENT_LEGACY, 0x00d6 | TEXT_ENT_LEGACY, 0x203e, 0x03a6, 0x03a0, 0x00b1, 0x2033,
	0x03a8, 0x0022 | TEXT_ENT_LEGACY, 0x00ae | TEXT_ENT_LEGACY, 0x0154, 0x0158, 0x0156, 0x03a1,
	0x2192, 0x21d2, 0x015a, 0x0160, 0x015e, 0x015c, 0x03a3, 0x00de | TEXT_ENT_LEGACY, 0x2122,
	0x0009, 0x03a4, 0x0164, 0x0162, 0x0398, 0x2009, 0x0166, 0x00da | TEXT_ENT_LEGACY, 0x016c,
	0x00db | TEXT_ENT_LEGACY, 0x0170, 0x00d9 | TEXT_ENT_LEGACY, 0x016a, 0x005f, 0x0172, 0x2191,
	0x03a5, 0x016e, 0x0168, 0x00dc | TEXT_ENT_LEGACY, 0x2016, 0x2016, 0x007c, 0x200a, 0x0174,
	0x039e, 0x00dd | TEXT_ENT_LEGACY, 0x0176, 0x0178, 0x0179, 0x017d, 0x017b, 0x200b, 0x0396,
	0x00e1 | TEXT_ENT_LEGACY, 0x0103, 0x00e2 | TEXT_ENT_LEGACY, 0x00b4 | TEXT_ENT_LEGACY,
	0x00e6 | TEXT_ENT_LEGACY, 0x2061, 0x00e0 | TEXT_ENT_LEGACY, 0x2135, 0x03b1, 0x0101,
	0x0026 | TEXT_ENT_LEGACY, 0x2227, 0x2220, 0x00c5, 0x0105, 0x0027, 0x2248,
	0x00e5 | TEXT_ENT_LEGACY, 0x002a, 0x2248, 0x00e3 | TEXT_ENT_LEGACY,
	0x00e4 | TEXT_ENT_LEGACY, 0x2035, 0x201e, 0x03b2, 0x2605, 0x2035, 0x00a6 | TEXT_ENT_LEGACY,
	0x204f, 0x005c, 0x2022, 0x2022, 0x0107, 0x2229, 0x2041, 0x010d, 0x00e7 | TEXT_ENT_LEGACY,
	0x0109, 0x010b, 0x00b8 | TEXT_ENT_LEGACY, 0x00a2 | TEXT_ENT_LEGACY, 0x00b7, 0x2713, 0x2713,
	0x03c7, 0x02c6, 0x00ae, 0x2663, 0x2663, 0x003a, 0x002c, 0x0040, 0x2245,
	0x00a9 | TEXT_ENT_LEGACY, 0x2117, 0x21b5, 0x2717, 0x222a, 0x00a4 | TEXT_ENT_LEGACY, 0x21d3,
	0x2020, 0x2193, 0x2010, 0x010f, 0x2021, 0x00b0 | TEXT_ENT_LEGACY, 0x03b4, 0x2666, 0x2666,
	0x00a8, 0x00f7, 0x00f7 | TEXT_ENT_LEGACY, 0x0024, 0x2193, 0x0111, 0x00e9 | TEXT_ENT_LEGACY,
	0x011b, 0x00ea | TEXT_ENT_LEGACY, 0x0117, 0x00e8 | TEXT_ENT_LEGACY, 0x2113, 0x0113, 0x2205,
	0x2003, 0x2004, 0x2005, 0x014b, 0x2002, 0x0119, 0x03b5, 0x003d, 0x2261, 0x03b7,
	0x00f0 | TEXT_ENT_LEGACY, 0x00eb | TEXT_ENT_LEGACY, 0x20ac, 0x0021, 0x2203, 0x2640, 0x266d,
	0x0192, 0x2200, 0x00bd | TEXT_ENT_LEGACY, 0x2153, 0x00bc | TEXT_ENT_LEGACY, 0x2155, 0x2159,
	0x215b, 0x2154, 0x2156, 0x00be | TEXT_ENT_LEGACY, 0x2157, 0x215c, 0x2158, 0x215a, 0x215d,
	0x215e, 0x2044, 0x01f5, 0x03b3, 0x011f, 0x011d, 0x0121, 0x2265, 0x2265, 0x0060,
	0x003e | TEXT_ENT_LEGACY, 0x21d4, 0x200a, 0x00bd, 0x2194, 0x210f, 0x0125, 0x2665, 0x2665,
	0x2026, 0x2015, 0x0127, 0x2043, 0x2010, 0x00ed | TEXT_ENT_LEGACY, 0x2063,
	0x00ee | TEXT_ENT_LEGACY, 0x00a1 | TEXT_ENT_LEGACY, 0x00ec | TEXT_ENT_LEGACY, 0x0133,
	0x012b, 0x2111, 0x0131, 0x2105, 0x221e, 0x0131, 0x222b, 0x012f, 0x03b9,
	0x00bf | TEXT_ENT_LEGACY, 0x2208, 0x2062, 0x0129, 0x00ef | TEXT_ENT_LEGACY, 0x0135, 0x03ba,
	0x0137, 0x0138, 0x21d0, 0x013a, 0x03bb, 0x27e8, 0x00ab | TEXT_ENT_LEGACY, 0x2190, 0x007b,
	0x005b, 0x013e, 0x013c, 0x2308, 0x007b, 0x201c, 0x201e, 0x2264, 0x2190, 0x2194, 0x2264,
	0x230a, 0x0140, 0x2217, 0x005f, 0x25ca, 0x0028, 0x200e, 0x2039, 0x005b, 0x2018, 0x201a,
	0x0142, 0x003c | TEXT_ENT_LEGACY, 0x00af | TEXT_ENT_LEGACY, 0x2642, 0x2014, 0x2127,
	0x00b5 | TEXT_ENT_LEGACY, 0x002a, 0x00b7 | TEXT_ENT_LEGACY, 0x2212, 0x2026, 0x2213, 0x03bc,
	0x2207, 0x0144, 0x0149, 0x266e, 0x00a0 | TEXT_ENT_LEGACY, 0x0148, 0x0146, 0x2013, 0x2260,
	0x220b, 0x2025, 0x00ac | TEXT_ENT_LEGACY, 0x2209, 0x2284, 0x00f1 | TEXT_ENT_LEGACY, 0x03bd,
	0x0023, 0x2116, 0x2007, 0x00f3 | TEXT_ENT_LEGACY, 0x00f4 | TEXT_ENT_LEGACY, 0x0151, 0x0153,
	0x00f2 | TEXT_ENT_LEGACY, 0x03a9, 0x203e, 0x014d, 0x03c9, 0x03bf, 0x2295, 0x2228,
	0x00aa | TEXT_ENT_LEGACY, 0x00ba | TEXT_ENT_LEGACY, 0x00f8 | TEXT_ENT_LEGACY,
	0x00f5 | TEXT_ENT_LEGACY, 0x2297, 0x00f6 | TEXT_ENT_LEGACY, 0x00b6 | TEXT_ENT_LEGACY,
	0x2202, 0x0025, 0x002e, 0x2030, 0x22a5, 0x2031, 0x03c6, 0x260e, 0x03c0, 0x03d6, 0x210f,
	0x002b, 0x00b1 | TEXT_ENT_LEGACY, 0x00b1, 0x00a3 | TEXT_ENT_LEGACY, 0x2032, 0x220f, 0x221d,
	0x03c8, 0x2008, 0x2057, 0x003f, 0x0022 | TEXT_ENT_LEGACY, 0x21d2, 0x0155, 0x221a, 0x27e9,
	0x00bb | TEXT_ENT_LEGACY, 0x2192, 0x007d, 0x005d, 0x0159, 0x0157, 0x2309, 0x007d, 0x201d,
	0x201d, 0x211c, 0x00ae | TEXT_ENT_LEGACY, 0x230b, 0x03c1, 0x2192, 0x200f, 0x0029, 0x203a,
	0x005d, 0x2019, 0x2019, 0x015b, 0x201a, 0x0161, 0x015f, 0x015d, 0x22c5,
	0x00a7 | TEXT_ENT_LEGACY, 0x003b, 0x266f, 0x00ad | TEXT_ENT_LEGACY, 0x03c3, 0x03c2, 0x223c,
	0x002f, 0x2660, 0x2660, 0x2606, 0x2605, 0x00af, 0x2282, 0x2286, 0x2211, 0x266a, 0x2283,
	0x00b9 | TEXT_ENT_LEGACY, 0x00b2 | TEXT_ENT_LEGACY, 0x00b3 | TEXT_ENT_LEGACY, 0x2287,
	0x00df | TEXT_ENT_LEGACY, 0x03c4, 0x0165, 0x0163, 0x2315, 0x2234, 0x03b8, 0x03d1, 0x2009,
	0x00fe | TEXT_ENT_LEGACY, 0x02dc, 0x00d7 | TEXT_ENT_LEGACY, 0x2034, 0x2122, 0x0167, 0x21d1,
	0x00fa | TEXT_ENT_LEGACY, 0x2191, 0x016d, 0x00fb | TEXT_ENT_LEGACY, 0x0171,
	0x00f9 | TEXT_ENT_LEGACY, 0x016b, 0x00a8 | TEXT_ENT_LEGACY, 0x0173, 0x2191, 0x03d2, 0x03c5,
	0x016f, 0x0169, 0x00fc | TEXT_ENT_LEGACY, 0x007c, 0x007c, 0x0175, 0x2118, 0x03be,
	0x00fd | TEXT_ENT_LEGACY, 0x0177, 0x00a5 | TEXT_ENT_LEGACY, 0x00ff | TEXT_ENT_LEGACY,
	0x017a, 0x017e, 0x017c, 0x03b6, 0x200d, 0x200c,
};
