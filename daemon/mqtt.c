/*
 * mqtt — libmosquitto on libevent.
 *
 * One read event on the client's socket, one write event added while
 * mosquitto_want_write() says there is something to send, and a timer
 * for mosquitto_loop_misc() (keepalive) every quarter of the keepalive,
 * so that an idle daemon sleeps rather than waking each second. Connection
 * loss of any kind ends in mqtt_lost(), which schedules the next try.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <event2/dns.h>
#include <event2/event.h>
#include <event2/util.h>
#include <mosquitto.h>
#include <mqtt_protocol.h>

#include "newsdigest/config.h"
#include "newsdigest/log.h"
#include "newsdigest/mqtt.h"

#define MQTT_BACKOFF_MIN 1
#define MQTT_BACKOFF_MAX 60

struct mqtt {
	struct event_base *base;
	const struct config *cfg;
	struct mosquitto *mosq;
	struct evdns_base *dns;
	struct evdns_getaddrinfo_request *dns_req;
	struct event *ev_read;
	struct event *ev_write;
	struct event *ev_misc;
	struct event *ev_retry;
	mqtt_event_cb cb;
	void *arg;
	int connected;
	int has_socket;
	int stopping;
	unsigned backoff;
	unsigned long reconnects;
	int ever_connected;
	int error_set;		/* error already says why (refusal, name lookup) */
	char error[128];	/* why the last attempt failed */
};

static void mqtt_lost(struct mqtt *m, const char *why);

/*
 * libmosquitto: route its own messages to our log at the matching level.
 * Its notices and information (each packet sent and received) go to
 * debug: what matters to a user (refusals, lost connections) we log
 * ourselves.
 */
static void
mqtt_log_cb(struct mosquitto *mosq, void *arg, int level, const char *str)
{
	(void)mosq;
	(void)arg;
	if (level & MOSQ_LOG_ERR)
		log_log(LOG_LEVEL_ERROR, "mosquitto: %s", str);
	else if (level & MOSQ_LOG_WARNING)
		log_log(LOG_LEVEL_WARN, "mosquitto: %s", str);
	else
		log_log(LOG_LEVEL_DEBUG, "mosquitto: %s", str);
}

/* Add the write event when the library has bytes to send. */
static void
mqtt_want_write(struct mqtt *m)
{
	if (m->has_socket && mosquitto_want_write(m->mosq))
		event_add(m->ev_write, NULL);
}

/* libevent: the socket is readable. */
static void
mqtt_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct mqtt *m = arg;
	int rc;

	(void)fd;
	(void)what;
	if ((rc = mosquitto_loop_read(m->mosq, 1)) != MOSQ_ERR_SUCCESS) {
		mqtt_lost(m, rc == MOSQ_ERR_CONN_LOST ? "connection lost" : mosquitto_strerror(rc));
		return;
	}
	mqtt_want_write(m);
}

/* libevent: the socket is writable. */
static void
mqtt_write_cb(evutil_socket_t fd, short what, void *arg)
{
	struct mqtt *m = arg;
	int rc;

	(void)fd;
	(void)what;
	if ((rc = mosquitto_loop_write(m->mosq, 1)) != MOSQ_ERR_SUCCESS) {
		mqtt_lost(m, mosquitto_strerror(rc));
		return;
	}
	mqtt_want_write(m);
}

/* libevent: a few times per keepalive, the library's keepalive and retries. */
static void
mqtt_misc_cb(evutil_socket_t fd, short what, void *arg)
{
	struct mqtt *m = arg;
	int rc;

	(void)fd;
	(void)what;
	if (!m->has_socket)
		return;
	if ((rc = mosquitto_loop_misc(m->mosq)) != MOSQ_ERR_SUCCESS) {
		mqtt_lost(m, rc == MOSQ_ERR_NO_CONN ? "keepalive timeout" : mosquitto_strerror(rc));
		return;
	}
	mqtt_want_write(m);
}

/* Connect to a numeric address. */
static void
mqtt_connect_addr(struct mqtt *m, const char *addr)
{
	int rc, fd;

	rc = mosquitto_connect_bind_async(m->mosq, addr, (int)m->cfg->port,
	    (int)m->cfg->keepalive, NULL);
	if (rc != MOSQ_ERR_SUCCESS) {
		mqtt_lost(m, rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc));
		return;
	}
	if ((fd = mosquitto_socket(m->mosq)) == -1) {
		mqtt_lost(m, "no socket");
		return;
	}
	if (m->ev_read != NULL)
		event_free(m->ev_read);
	if (m->ev_write != NULL)
		event_free(m->ev_write);
	m->ev_read = event_new(m->base, fd, EV_READ | EV_PERSIST, mqtt_read_cb, m);
	m->ev_write = event_new(m->base, fd, EV_WRITE, mqtt_write_cb, m);
	if (m->ev_read == NULL || m->ev_write == NULL)
		fatalx("mqtt: cannot create socket events");
	event_add(m->ev_read, NULL);
	m->has_socket = 1;
	mqtt_want_write(m);
}

/* evdns: the broker's address is known (or not). */
static void
mqtt_dns_cb(int err, struct evutil_addrinfo *res, void *arg)
{
	struct mqtt *m = arg;
	char addr[INET6_ADDRSTRLEN];
	const void *sa;

	m->dns_req = NULL;
	if (err != 0 || res == NULL) {
		snprintf(m->error, sizeof m->error, "cannot resolve %s: %s", m->cfg->host,
		    evutil_gai_strerror(err));
		m->error_set = 1;
		log_warnx("mqtt: %s", m->error);
		if (res != NULL)
			evutil_freeaddrinfo(res);
		mqtt_lost(m, NULL);
		return;
	}
	if (res->ai_family == AF_INET6)
		sa = &((struct sockaddr_in6 *)(void *)res->ai_addr)->sin6_addr;
	else
		sa = &((struct sockaddr_in *)(void *)res->ai_addr)->sin_addr;
	if (inet_ntop(res->ai_family, sa, addr, sizeof addr) == NULL) {
		evutil_freeaddrinfo(res);
		mqtt_lost(m, "bad address");
		return;
	}
	evutil_freeaddrinfo(res);
	mqtt_connect_addr(m, addr);
}

/* Resolve the broker's host without blocking, then connect. */
static void
mqtt_connect(struct mqtt *m)
{
	struct evutil_addrinfo hints;
	unsigned char tmp[sizeof(struct in6_addr)];
	const char *host = m->cfg->host;

	if (inet_pton(AF_INET, host, tmp) == 1 || inet_pton(AF_INET6, host, tmp) == 1) {
		mqtt_connect_addr(m, host);
		return;
	}
	/* The one name every box knows; spares a resolver round trip. */
	if (strcmp(host, "localhost") == 0) {
		mqtt_connect_addr(m, "127.0.0.1");
		return;
	}
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = EVUTIL_AI_ADDRCONFIG;
	m->dns_req = evdns_getaddrinfo(m->dns, host, NULL, &hints, mqtt_dns_cb, m);
}

/* libevent: time for the next connection attempt. */
static void
mqtt_retry_cb(evutil_socket_t fd, short what, void *arg)
{
	struct mqtt *m = arg;

	(void)fd;
	(void)what;
	m->reconnects++;
	mqtt_connect(m);
}

/* The connection is gone or never came: close it and schedule a retry. */
static void
mqtt_lost(struct mqtt *m, const char *why)
{
	struct timeval tv;
	unsigned delay;
	long jitter_ms;

	if (m->has_socket) {
		/*
		 * No mosquitto_disconnect(): that would give the session up. The
		 * next connect closes the old socket, and the QoS 1 messages the
		 * library holds are sent again on the new one.
		 */
		event_del(m->ev_read);
		event_del(m->ev_write);
		m->has_socket = 0;
	}
	m->connected = 0;
	if (m->stopping)
		return;
	if (!m->error_set)
		snprintf(m->error, sizeof m->error, "%s", why != NULL ? why : "no address");
	m->error_set = 0;
	delay = m->backoff;
	/* Jitter of up to a quarter, so that many daemons do not retry in step. */
	jitter_ms = random() % ((long)delay * 250 + 1);
	tv.tv_sec = (time_t)(delay + (unsigned)(jitter_ms / 1000));
	tv.tv_usec = (suseconds_t)(jitter_ms % 1000) * 1000;
	m->backoff = m->backoff * 2 > MQTT_BACKOFF_MAX ? MQTT_BACKOFF_MAX : m->backoff * 2;
	if (why != NULL)
		log_warnx("mqtt: %s:%ld: %s; retrying in %us", m->cfg->host, m->cfg->port, why,
		    delay);
	evtimer_add(m->ev_retry, &tv);
	m->cb(m->arg, MQTT_EV_DISCONNECTED, 0);
}

/* libmosquitto: the broker answered our CONNECT. */
static void
mqtt_connect_cb(struct mosquitto *mosq, void *arg, int rc, int flags,
    const mosquitto_property *props)
{
	struct mqtt *m = arg;

	(void)mosq;
	(void)flags;
	(void)props;
	if (rc != 0) {
		/* The library closes the connection after a refusal. */
		snprintf(m->error, sizeof m->error, "refused the connection: %s",
		    m->cfg->protocol == 5 ? mosquitto_reason_string(rc) :
		    mosquitto_connack_string(rc));
		m->error_set = 1;
		log_warnx("mqtt: %s:%ld %s", m->cfg->host, m->cfg->port, m->error);
		return;
	}
	m->connected = 1;
	m->backoff = MQTT_BACKOFF_MIN;
	log_info("mqtt: connected to %s:%ld%s", m->cfg->host, m->cfg->port,
	    m->ever_connected ? " again" : "");
	m->ever_connected = 1;
	m->cb(m->arg, MQTT_EV_CONNECTED, 0);
}

/* libmosquitto: the broker acknowledged a message. */
static void
mqtt_publish_cb(struct mosquitto *mosq, void *arg, int mid, int reason,
    const mosquitto_property *props)
{
	struct mqtt *m = arg;

	(void)mosq;
	(void)props;
	if (reason >= 0x80)
		log_warnx("mqtt: message %d refused by the broker: %s", mid,
		    mosquitto_reason_string(reason));
	m->cb(m->arg, MQTT_EV_PUBACK, mid);
}

/* Create the client. */
struct mqtt *
mqtt_new(struct event_base *base, const struct config *cfg, const char *will_topic,
    const char *will_payload, mqtt_event_cb cb, void *arg)
{
	struct mqtt *m;

	if ((m = calloc(1, sizeof *m)) == NULL)
		return NULL;
	m->base = base;
	m->cfg = cfg;
	m->cb = cb;
	m->arg = arg;
	m->backoff = MQTT_BACKOFF_MIN;
	if ((m->mosq = mosquitto_new(cfg->client_id, true, m)) == NULL) {
		log_warn("mqtt: mosquitto_new");
		free(m);
		return NULL;
	}
	mosquitto_int_option(m->mosq, MOSQ_OPT_PROTOCOL_VERSION,
	    cfg->protocol == 5 ? MQTT_PROTOCOL_V5 : MQTT_PROTOCOL_V311);
	mosquitto_log_callback_set(m->mosq, mqtt_log_cb);
	mosquitto_connect_v5_callback_set(m->mosq, mqtt_connect_cb);
	mosquitto_publish_v5_callback_set(m->mosq, mqtt_publish_cb);
	if (will_topic != NULL &&
	    mosquitto_will_set(m->mosq, will_topic, (int)strlen(will_payload), will_payload, 1,
		true) != MOSQ_ERR_SUCCESS)
		log_warnx("mqtt: cannot set the will");
	m->dns = evdns_base_new(base, EVDNS_BASE_INITIALIZE_NAMESERVERS |
	    EVDNS_BASE_DISABLE_WHEN_INACTIVE);
	m->ev_misc = event_new(base, -1, EV_PERSIST, mqtt_misc_cb, m);
	m->ev_retry = evtimer_new(base, mqtt_retry_cb, m);
	if (m->dns == NULL || m->ev_misc == NULL || m->ev_retry == NULL) {
		log_warnx("mqtt: cannot set up events");
		mqtt_free(m);
		return NULL;
	}
	return m;
}

/* Start connecting. */
void
mqtt_start(struct mqtt *m)
{
	/*
	 * A PINGREQ goes out at most a quarter of the keepalive late, well
	 * within the broker's grace of half a keepalive.
	 */
	struct timeval tv = { m->cfg->keepalive >= 8 ? (time_t)(m->cfg->keepalive / 4) : 1, 0 };

	event_add(m->ev_misc, &tv);
	mqtt_connect(m);
}

/* Tell whether the session is up. */
int
mqtt_connected(const struct mqtt *m)
{
	return m->connected;
}

/* Hand a message to the library. */
int
mqtt_publish(struct mqtt *m, const char *topic, const void *payload, size_t len, int qos,
    int retain, const struct mqtt_msg_props *props, int *mid)
{
	mosquitto_property *pl = NULL;
	int rc, id = 0;

	if (m->cfg->protocol == 5 && props != NULL) {
		if (props->content_type != NULL)
			mosquitto_property_add_string(&pl, MQTT_PROP_CONTENT_TYPE,
			    props->content_type);
		if (props->content_encoding != NULL)
			mosquitto_property_add_string_pair(&pl, MQTT_PROP_USER_PROPERTY,
			    "content-encoding", props->content_encoding);
		if (props->expiry > 0)
			mosquitto_property_add_int32(&pl, MQTT_PROP_MESSAGE_EXPIRY_INTERVAL,
			    props->expiry);
	}
	rc = mosquitto_publish_v5(m->mosq, &id, topic, (int)len, payload, qos, retain, pl);
	mosquitto_property_free_all(&pl);
	if (mid != NULL)
		*mid = id;
	/*
	 * NO_CONN: the library queued a QoS 1 message and will send it after
	 * reconnecting. It is taken; handing it over again would duplicate it.
	 */
	if (rc == MOSQ_ERR_SUCCESS || (rc == MOSQ_ERR_NO_CONN && qos > 0)) {
		mqtt_want_write(m);
		return 0;
	}
	if (rc != MOSQ_ERR_NO_CONN)
		log_warnx("mqtt: cannot publish to %s: %s", topic, mosquitto_strerror(rc));
	return -1;
}

/* Say why the broker is not reachable. */
const char *
mqtt_error(const struct mqtt *m)
{
	return m->error;
}

/* Count reconnections. */
unsigned long
mqtt_reconnects(const struct mqtt *m)
{
	return m->reconnects;
}

/* Send DISCONNECT once what is queued has gone to the socket. */
void
mqtt_disconnect(struct mqtt *m)
{
	m->stopping = 1;
	evtimer_del(m->ev_retry);
	if (m->has_socket) {
		mosquitto_disconnect(m->mosq);
		/* Push the DISCONNECT out now; the loop may end before the next event. */
		mosquitto_loop_write(m->mosq, 1);
		event_del(m->ev_read);
		event_del(m->ev_write);
		m->has_socket = 0;
	}
	m->connected = 0;
}

/* Free the client. */
void
mqtt_free(struct mqtt *m)
{
	if (m == NULL)
		return;
	if (m->dns_req != NULL)
		evdns_getaddrinfo_cancel(m->dns_req);
	if (m->ev_read != NULL)
		event_free(m->ev_read);
	if (m->ev_write != NULL)
		event_free(m->ev_write);
	if (m->ev_misc != NULL)
		event_free(m->ev_misc);
	if (m->ev_retry != NULL)
		event_free(m->ev_retry);
	if (m->dns != NULL)
		evdns_base_free(m->dns, 0);
	mosquitto_destroy(m->mosq);
	free(m);
}
