/* outbox — an ordered, bounded queue between the digests and the broker. */
#include <stdlib.h>
#include <string.h>

#include "newsdigest/outbox.h"

struct outbox_entry {
	struct outbox_entry *next;
	struct outbox_msg msg;	/* topic and payload point into data */
	int mid;		/* 0 until handed over */
	char data[];
};

struct outbox {
	struct outbox_entry *head, *tail;
	size_t n;
	size_t max;
	size_t inflight;
	outbox_done_cb done;
	void *arg;
};

/* Create an outbox. */
struct outbox *
outbox_new(size_t max, outbox_done_cb done, void *arg)
{
	struct outbox *ob;

	if ((ob = calloc(1, sizeof *ob)) == NULL)
		return NULL;
	ob->max = max;
	ob->done = done;
	ob->arg = arg;
	return ob;
}

/* Free the outbox. */
void
outbox_free(struct outbox *ob)
{
	struct outbox_entry *e;

	if (ob == NULL)
		return;
	while ((e = ob->head) != NULL) {
		ob->head = e->next;
		free(e);
	}
	free(ob);
}

/* Take e (after prev, or first when prev is NULL) out of the list. */
static void
outbox_unlink(struct outbox *ob, struct outbox_entry *prev, struct outbox_entry *e)
{
	if (prev != NULL)
		prev->next = e->next;
	else
		ob->head = e->next;
	if (ob->tail == e)
		ob->tail = prev;
	ob->n--;
}

/* Queue a copy of a message. */
int
outbox_put(struct outbox *ob, const struct outbox_msg *msg)
{
	struct outbox_entry *e, *prev = NULL;
	size_t tlen = strlen(msg->topic) + 1;

	if (msg->retain) {
		/* A newer state of a retained topic replaces one still waiting. */
		for (e = ob->head; e != NULL; prev = e, e = e->next) {
			if (e->mid != 0 || !e->msg.retain || strcmp(e->msg.topic, msg->topic) != 0)
				continue;
			outbox_unlink(ob, prev, e);
			free(e);
			break;
		}
	}
	if (ob->n >= ob->max)
		return -1;
	if ((e = malloc(sizeof *e + tlen + msg->len)) == NULL)
		return -1;
	e->next = NULL;
	e->mid = 0;
	e->msg = *msg;
	memcpy(e->data, msg->topic, tlen);
	memcpy(e->data + tlen, msg->payload, msg->len);
	e->msg.topic = e->data;
	e->msg.payload = e->data + tlen;
	if (ob->tail != NULL)
		ob->tail->next = e;
	else
		ob->head = e;
	ob->tail = e;
	ob->n++;
	return 0;
}

/* Hand over what the window allows, in order. */
void
outbox_pump(struct outbox *ob, size_t window, outbox_send_cb send, void *arg)
{
	struct outbox_entry *e;
	int mid;

	for (e = ob->head; e != NULL && ob->inflight < window; e = e->next) {
		if (e->mid != 0)
			continue;
		if ((mid = send(arg, &e->msg)) <= 0)
			return;
		e->mid = mid;
		ob->inflight++;
	}
}

/* Drop an acknowledged message. */
void
outbox_acked(struct outbox *ob, int mid)
{
	struct outbox_entry *e, *prev = NULL;

	/* Messages not handed over have mid 0: never match them. */
	if (mid <= 0)
		return;
	for (e = ob->head; e != NULL; prev = e, e = e->next) {
		if (e->mid != mid)
			continue;
		outbox_unlink(ob, prev, e);
		ob->inflight--;
		if (e->msg.owner != NULL && ob->done != NULL)
			ob->done(ob->arg, e->msg.owner, e->msg.id);
		free(e);
		return;
	}
}

/* Forget an owner. */
void
outbox_disown(struct outbox *ob, void *owner)
{
	struct outbox_entry *e;

	for (e = ob->head; e != NULL; e = e->next)
		if (e->msg.owner == owner)
			e->msg.owner = NULL;
}

/* Count the messages held. */
size_t
outbox_depth(const struct outbox *ob)
{
	return ob->n;
}

/* Count the messages handed over. */
size_t
outbox_inflight(const struct outbox *ob)
{
	return ob->inflight;
}
