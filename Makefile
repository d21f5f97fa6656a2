# newsdigest — plain GNU make, no recursion.
#
#   make            build build/newsdigestd and build/newsdigest
#   make check      build and run every test (unit, sanitizers, integration)
#   make run        the demo: a private broker, the daemon on sample feeds,
#                   digests shown as they arrive
#   make install    PREFIX=/usr/local SYSCONFDIR=/etc DESTDIR= (binaries,
#                   unit, example config, man pages)
#   make check-arch ARCH=armhf|i386|s390x  the same code built for another
#                   machine, tested under qemu-user (tests/arch.sh)
#
# WERROR=0 turns warnings back into warnings (distro builds);
# SANITIZE=address,undefined builds everything with those sanitizers.

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
SBINDIR	?= $(PREFIX)/sbin
# Where the daemon looks without -c (SYSCONFDIR/newsdigest/newsdigest.conf)
# and keeps its state by default: compiled in (build/gen/paths.h) and
# written into the unit, the man pages and the example config alike.
# systemd's StateDirectory= is under /var/lib, so the unit wants STATEDIR
# there.
SYSCONFDIR ?= /etc
STATEDIR ?= /var/lib/newsdigest
UNITDIR	?= /lib/systemd/system
DOCDIR	?= $(PREFIX)/share/doc/newsdigest
MANDIR	?= $(PREFIX)/share/man
DESTDIR	?=
BUILD	?= build
PYTHON	?= python3

CC	?= cc
CFLAGS	?= -O2 -g
WERROR	?= 1
SANITIZE ?=

LIBS_PC	= libevent libmosquitto zlib libcurl expat libcjson
PKGCONF	?= pkg-config

WARNINGS = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wwrite-strings -Wconversion -Wno-sign-conversion -Wpointer-arith \
	-Wformat=2 -Wundef -Wvla -Wcast-qual -Wnull-dereference
ifeq ($(WERROR),1)
WARNINGS += -Werror
endif

# _FILE_OFFSET_BITS=64: without it, on a 32-bit machine (armhf, i386),
# readdir(3) and stat(2) fail with EOVERFLOW where a file system hands out
# 64-bit inode numbers or directory offsets (NFS, large XFS or btrfs, and
# any directory under qemu-user), and a journal cannot pass 2 GiB. Nothing
# changes on a 64-bit machine.
ND_CPPFLAGS = -Iinclude -I$(BUILD)/gen -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	-D_FILE_OFFSET_BITS=64 -DND_VERSION=\"$(VERSION)\"
ND_CFLAGS = -std=c11 $(WARNINGS) -MMD -MP
ifneq ($(SANITIZE),)
ND_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer
ND_LDFLAGS += -fsanitize=$(SANITIZE)
endif

VERSION	= 0.1.0

# The pure core: no sockets, files, clocks or globals.
CORE	= buf text date hash json url feed lang article summary tags digest journal
# The I/O shell around it.
SHELLM	= log config fetch store outbox mqtt watch notify

CORE_OBJ  = $(CORE:%=$(BUILD)/obj/%.o)
SHELL_OBJ = $(SHELLM:%=$(BUILD)/obj/%.o)

UNIT_SRC  = $(wildcard tests/unit/*_test.c)
UNIT_BIN  = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
# The same unit tests under AddressSanitizer and UBSan, in their own tree.
ASAN	  = $(BUILD)/asan
ASAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
ASAN_CORE = $(CORE:%=$(ASAN)/obj/%.o)
ASAN_BIN  = $(UNIT_SRC:tests/unit/%.c=$(ASAN)/tests/%)

# libFuzzer targets (clang): make fuzz FUZZ_TIME=60 runs each that long.
FUZZ_SRC  = $(wildcard tests/fuzz/*_fuzz.c)
FUZZ_BIN  = $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)
FUZZ_TIME ?= 30
FUZZ_CORE = $(CORE:%=daemon/%.c)
# Shell modules a target needs beyond the core: FUZZ_EXTRA_<target>.
FUZZ_EXTRA_store_fuzz = daemon/store.c daemon/log.c
FUZZ_EXTRA_config_fuzz = daemon/config.c daemon/log.c

PC_CFLAGS = $(shell $(PKGCONF) --cflags $(LIBS_PC) 2>/dev/null)
PC_LIBS	  = $(shell $(PKGCONF) --libs $(LIBS_PC) 2>/dev/null)
# libstemmer (Snowball) has no pkg-config file.
STEM_LIBS = -lstemmer
CORE_LIBS = $(shell $(PKGCONF) --libs zlib expat libcjson 2>/dev/null) $(STEM_LIBS)
CMOCKA_LIBS = $(shell $(PKGCONF) --libs cmocka 2>/dev/null)

.PHONY: all deps check-deps run-deps check run install clean fuzz bench-deps bench eval \
	check-arch FORCE

all: $(BUILD)/newsdigestd $(BUILD)/newsdigest

# Check for the Debian packages a step needs; install them as root.
deps:
	@sh tests/deps.sh build
check-deps: deps
	@sh tests/deps.sh check
run-deps: deps
	@sh tests/deps.sh run

# pkg-config is asked lazily (=, not :=) so that it sees what deps installed.
$(BUILD)/obj/main.o $(BUILD)/obj/cli.o $(CORE_OBJ) $(SHELL_OBJ): | deps
$(UNIT_BIN) $(ASAN_BIN) $(ASAN_CORE) $(FUZZ_BIN): | check-deps

# The tagger's part-of-speech lexicon, made from WordNet (Debian's
# wordnet-base) at build time; without WordNet (or python3) it is empty
# and the tagger keeps to its suffix rules. Never committed.
WORDNET	?= /usr/share/wordnet
$(BUILD)/gen/poslex.h: daemon/poslex.py | deps
	@mkdir -p $(@D)
	@if [ -f $(WORDNET)/index.noun ] && command -v $(PYTHON) >/dev/null; then \
		$(PYTHON) daemon/poslex.py $(WORDNET) $@; \
	else \
		echo "newsdigest: no WordNet in $(WORDNET) (or no $(PYTHON)): the tagger has no part-of-speech lexicon" >&2; \
		printf '#include <stdint.h>\n#define POSLEX_N 0\n#define POSLEX_BUCKET_BITS 1\n#define POSLEX_KEY_BITS 14\nstatic const uint16_t poslex_en[1] = { 0 };\nstatic const uint16_t poslex_en_at[3] = { 0, 0, 0 };\n' > $@; \
	fi
$(BUILD)/obj/lang.o $(ASAN)/obj/lang.o $(FUZZ_BIN): $(BUILD)/gen/poslex.h

# The paths compiled in, rewritten only when they change: config.o (all
# that includes it) is rebuilt then, and only then.
$(BUILD)/gen/paths.h: FORCE
	@mkdir -p $(@D)
	@printf '/* Made by make: the paths of this build. */\n#define ND_SYSCONFDIR "%s"\n#define ND_STATEDIR "%s"\n' \
		'$(SYSCONFDIR)' '$(STATEDIR)' > $@.new
	@if cmp -s $@.new $@; then rm -f $@.new; else mv $@.new $@; fi
$(BUILD)/obj/config.o $(ASAN)/obj/config.o: $(BUILD)/gen/paths.h

$(BUILD)/obj/%.o: daemon/%.c
	@mkdir -p $(@D)
	$(CC) $(ND_CPPFLAGS) $(CPPFLAGS) $(PC_CFLAGS) $(ND_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/libnewsdigest.a: $(CORE_OBJ)
	$(AR) rcs $@ $^

$(BUILD)/newsdigestd: $(BUILD)/obj/main.o $(SHELL_OBJ) $(BUILD)/libnewsdigest.a
	$(CC) $(ND_LDFLAGS) $(LDFLAGS) -o $@ $^ $(PC_LIBS) $(STEM_LIBS) -lm

$(BUILD)/newsdigest: $(BUILD)/obj/cli.o $(BUILD)/obj/config.o $(BUILD)/obj/log.o \
		$(BUILD)/obj/mqtt.o $(BUILD)/libnewsdigest.a
	$(CC) $(ND_LDFLAGS) $(LDFLAGS) -o $@ $^ $(PC_LIBS) $(STEM_LIBS) -lm

# The shell modules unit tests may use: they touch only files.
TEST_SHELL = config log store outbox

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libnewsdigest.a $(TEST_SHELL:%=$(BUILD)/obj/%.o)
	@mkdir -p $(@D)
	$(CC) $(ND_CPPFLAGS) $(CPPFLAGS) $(PC_CFLAGS) $(ND_CFLAGS) $(CFLAGS) \
		-DND_SRCDIR=\"$(CURDIR)\" -o $@ $< $(TEST_SHELL:%=$(BUILD)/obj/%.o) \
		$(BUILD)/libnewsdigest.a $(CMOCKA_LIBS) $(CORE_LIBS) -lm

$(ASAN)/obj/%.o: daemon/%.c
	@mkdir -p $(@D)
	$(CC) $(ND_CPPFLAGS) $(PC_CFLAGS) $(ND_CFLAGS) $(ASAN_FLAGS) -c -o $@ $<

$(ASAN)/tests/%: tests/unit/%.c $(ASAN_CORE) $(TEST_SHELL:%=$(ASAN)/obj/%.o)
	@mkdir -p $(@D)
	$(CC) $(ND_CPPFLAGS) $(PC_CFLAGS) $(ND_CFLAGS) $(ASAN_FLAGS) \
		-DND_SRCDIR=\"$(CURDIR)\" -o $@ $^ $(CMOCKA_LIBS) $(CORE_LIBS) -lm

check: all $(UNIT_BIN) $(ASAN_BIN) $(FUZZ_BIN) | check-deps
	@sh tests/run.sh $(BUILD)

run: all | run-deps
	@bash tests/demo.sh $(BUILD)

# $(call SUBST,ESC): a sed that writes this build's paths into the unit
# (its @NAME@ placeholders), the man pages and the example config (which
# read right as they stand, with the default paths), each path written as
# ESC says (a man page wants "\-" for "-"). StateDirectory= is relative to
# /var/lib; ConfigurationDirectory= to /etc, so the unit keeps it only
# when the config is there.
SUBST = sed -e 's|/etc/newsdigest|$(call $(1),$(SYSCONFDIR))/newsdigest|g' \
	-e 's|/var/lib/newsdigest|$(call $(1),$(STATEDIR))|g' \
	-e 's|/lib/systemd/system/newsdigestd|$(call $(1),$(UNITDIR))/newsdigestd|g' \
	-e 's|@SBINDIR@|$(call $(1),$(SBINDIR))|g' \
	-e 's|@SYSCONFDIR@|$(call $(1),$(SYSCONFDIR))|g' \
	-e 's|@STATEDIR@|$(call $(1),$(STATEDIR))|g' \
	-e 's|@STATEDIRECTORY@|$(STATEDIR:/var/lib/%=%)|g' \
	-e 's|@UNITDIR@|$(call $(1),$(UNITDIR))|g' \
	$(if $(filter /etc,$(SYSCONFDIR)),,-e '/^ConfigurationDirectory=/d')
as_is = $(1)
as_roff = $(subst -,\\-,$(1))

install: all
	@case '$(STATEDIR)' in /var/lib/?*) ;; *) echo "newsdigest: STATEDIR=$(STATEDIR) is" \
		"not under /var/lib, where the unit's StateDirectory= must be" >&2; exit 1;; esac
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) $(DESTDIR)$(DOCDIR) \
		$(DESTDIR)$(SYSCONFDIR)/newsdigest $(DESTDIR)$(UNITDIR) \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8
	install -m 755 $(BUILD)/newsdigestd $(DESTDIR)$(SBINDIR)/newsdigestd
	install -m 755 $(BUILD)/newsdigest $(DESTDIR)$(BINDIR)/newsdigest
	install -m 644 README.md $(DESTDIR)$(DOCDIR)/README.md
	$(call SUBST,as_is) config/newsdigest.conf > $(DESTDIR)$(SYSCONFDIR)/newsdigest/newsdigest.conf.example
	$(call SUBST,as_roff) daemon/newsdigestd.8 > $(DESTDIR)$(MANDIR)/man8/newsdigestd.8
	$(call SUBST,as_roff) daemon/newsdigest.1 > $(DESTDIR)$(MANDIR)/man1/newsdigest.1
	$(call SUBST,as_roff) config/newsdigest.conf.5 > $(DESTDIR)$(MANDIR)/man5/newsdigest.conf.5
	$(call SUBST,as_is) systemd/newsdigestd.service > $(DESTDIR)$(UNITDIR)/newsdigestd.service
	chmod 644 $(DESTDIR)$(SYSCONFDIR)/newsdigest/newsdigest.conf.example \
		$(DESTDIR)$(MANDIR)/man8/newsdigestd.8 $(DESTDIR)$(MANDIR)/man1/newsdigest.1 \
		$(DESTDIR)$(MANDIR)/man5/newsdigest.conf.5 $(DESTDIR)$(UNITDIR)/newsdigestd.service

$(BUILD)/fuzz/store_fuzz: $(FUZZ_EXTRA_store_fuzz)
$(BUILD)/fuzz/config_fuzz: $(FUZZ_EXTRA_config_fuzz) $(BUILD)/gen/paths.h

$(BUILD)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz_item.h $(FUZZ_CORE)
	@mkdir -p $(@D)
	clang $(ND_CPPFLAGS) $(PC_CFLAGS) -std=c11 -g -O1 \
		-fsanitize=fuzzer,address,undefined -o $@ $< $(FUZZ_CORE) $(FUZZ_EXTRA_$*) \
		$(CORE_LIBS) -lm

fuzz: $(FUZZ_BIN)
	@for f in $(FUZZ_BIN); do \
		name=$$(basename $$f _fuzz); \
		mkdir -p $(BUILD)/fuzz/corpus-$$name; \
		echo "== $$f ($(FUZZ_TIME)s)"; \
		$$f -max_total_time=$(FUZZ_TIME) -max_len=65536 \
			-artifact_prefix=$(BUILD)/fuzz/ \
			$(BUILD)/fuzz/corpus-$$name tests/fuzz/seeds/$$name || exit 1; \
	done

# Benchmarks (never part of check): parser throughput against raw expat and
# peak memory, on ../shared/data/bench. make bench BENCH_FLAGS=-v shows
# every real-world feed. parse_bench is -O2 without sanitizers; it measures
# libnewsdigest.a as the normal build made it.
BENCH_CFLAGS = -O2 -g
BENCH_FLAGS ?=

bench-deps: deps
	@sh tests/deps.sh bench

# Each bench program is one file linked against the core.
$(BUILD)/bench/%: tests/bench/%.c $(BUILD)/libnewsdigest.a | deps
	@mkdir -p $(@D)
	$(CC) $(ND_CPPFLAGS) $(PC_CFLAGS) -std=c11 $(WARNINGS) -MMD -MP $(BENCH_CFLAGS) \
		-o $@ $< $(BUILD)/libnewsdigest.a $(CORE_LIBS) -lm

bench: $(BUILD)/bench/parse_bench $(BUILD)/bench/payload_bench $(BUILD)/bench/summary_bench \
		$(BUILD)/newsdigest $(BUILD)/newsdigestd | bench-deps
	@sh tests/bench/run.sh $(BENCH_FLAGS) $(BUILD)

-include $(wildcard $(BUILD)/bench/*.d)

# Other machines (never part of check): cross-build into build-ARCH/ for
# ARCH = armhf (32-bit ARM), i386 or s390x (64-bit big-endian), run the
# unit tests under qemu-user and compare the outputs byte for byte with
# this machine's build. tests/arch.sh says how.
ARCH	?= armhf

# The cross-machine probe: every byte a digest becomes (tests/arch/probe.c).
$(BUILD)/arch/probe: tests/arch/probe.c $(BUILD)/libnewsdigest.a | deps
	@mkdir -p $(@D)
	$(CC) $(ND_CPPFLAGS) $(CPPFLAGS) $(PC_CFLAGS) $(ND_CFLAGS) $(CFLAGS) \
		-o $@ $< $(BUILD)/libnewsdigest.a $(CORE_LIBS) -lm

check-arch:
	@sh tests/arch.sh $(ARCH)

# The summariser and tagger against ../shared/data/nlp (ROUGE, keyphrase
# F1), beside the lead baseline, and how far the two keyphrase sets pull
# apart (tagmix.py); skipped when ../shared is absent.
eval: $(BUILD)/newsdigest
	@$(PYTHON) tests/eval/eval.py $(BUILD)
	@$(PYTHON) tests/eval/tagmix.py $(BUILD)

clean:
	rm -rf $(BUILD)

# Keep the objects of the sanitizer tree between runs.
.SECONDARY:

-include $(wildcard $(BUILD)/obj/*.d $(BUILD)/tests/*.d $(ASAN)/obj/*.d $(ASAN)/tests/*.d \
	$(BUILD)/arch/*.d)
