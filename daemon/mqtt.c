/*
 * mqtt — libmosquitto on libevent.
 *
 * One read event on the client's socket, one write event added while
 * mosquitto_want_write() says there is something to send, and a timer
 * for mosquitto_loop_misc() (keepalive) every quarter of the keepalive,
 * so that an idle daemon sleeps rather than waking each second. Connection
 * loss of any kind ends in mqtt_lost(), which schedules the next try.
 *
 * The session is persistent: a fixed client id, clean start off and,
 * under MQTT 5, a session expiry interval on every CONNECT. With
 * tls_ca_file set the connection is TLS with the broker's certificate
 * checked against that CA and its host name.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <event2/dns.h>
#include <event2/event.h>
#include <event2/util.h>
#include <mosquitto.h>
#include <mqtt_protocol.h>

#include "newsdigest/config.h"
#include "newsdigest/log.h"
#include "newsdigest/mqtt.h"

#define MQTT_WILL_DELAY 10	/* seconds the broker holds the will back (MQTT 5) */
#define MQTT_BACKOFF_MIN 1
#define MQTT_BACKOFF_MAX 60
#define MQTT_STABLE 60		/* seconds up before a loss starts the backoff afresh */

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
	int64_t up_since;	/* monotonic seconds of the last CONNACK */
	unsigned long reconnects;
	int ever_connected;
	int error_set;		/* error already says why (refusal, name lookup) */
	char error[256];	/* why the last attempt failed */
	struct mqtt_tls_note tls;	/* what the library's log said of a TLS failure */
	int connect_errno;	/* what the TLS handshake's first write met, or 0 */
};

static void mqtt_lost(struct mqtt *m, const char *why);

/* Seconds on the monotonic clock. */
static int64_t
mqtt_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec;
}

/* Route one line of libmosquitto's log; its TLS errors are kept in note. */
void
mqtt_lib_log(struct mqtt_tls_note *note, int level, const char *str)
{
	const char *reason;

	/* "OpenSSL Error[0]: error:0A000086:SSL routines::certificate verify failed" */
	if ((level & MOSQ_LOG_ERR) && strncmp(str, "OpenSSL Error[", 14) == 0) {
		/* The first of the queue, [0], says most. */
		if (str[14] == '0' && str[15] == ']' && (reason = strrchr(str, ':')) != NULL)
			snprintf(note->error, sizeof note->error, "%s", reason + 1);
		log_debug("mosquitto: %s", str);
		return;
	}
	if ((level & MOSQ_LOG_ERR) && strstr(str, "host name verification failed") != NULL) {
		note->name_failed = 1;
		log_debug("mosquitto: %s", str);
		return;
	}
	if (level & MOSQ_LOG_ERR)
		log_log(LOG_LEVEL_ERROR, "mosquitto: %s", str);
	else if (level & MOSQ_LOG_WARNING)
		log_log(LOG_LEVEL_WARN, "mosquitto: %s", str);
	else
		log_log(LOG_LEVEL_DEBUG, "mosquitto: %s", str);
}

/*
 * libmosquitto: route its own messages to our log at the matching level.
 * Its notices and information (each packet sent and received) go to
 * debug: what matters to a user (refusals, lost connections) we log
 * ourselves. So do its TLS errors: they are kept for the line that says
 * why the connection failed.
 */
static void
mqtt_log_cb(struct mosquitto *mosq, void *arg, int level, const char *str)
{
	struct mqtt *m = arg;

	(void)mosq;
	mqtt_lib_log(&m->tls, level, str);
}

/* Say why the connection to cfg's broker (session up or not) failed with errno err. */
static void
mqtt_errno_why(const struct config *cfg, int connected, int err, char *why, size_t len)
{
	/*
	 * EPROTO: libmosquitto's word for a TLS read that failed with no
	 * reason queued. A broker that wants a client certificate ends the
	 * session so under TLS 1.3; a plain listener resets it.
	 */
	if ((err == EPROTO || err == ECONNRESET) && cfg->tls_ca_file != NULL && !connected)
		snprintf(why, len, "TLS handshake failed: the broker ended the connection (is "
		    "port %ld a TLS listener?%s)", cfg->port, cfg->tls_cert_file == NULL ?
		    " does it want a client certificate, tls_cert_file?" : "");
	else
		snprintf(why, len, "%s", strerror(err));
}

/*
 * Say why libmosquitto's call failed with rc, in a user's words: what the
 * TLS layer said when it said something, else the library's reason.
 */
const char *
mqtt_failure_why(struct mqtt_tls_note *note, const struct config *cfg, int connected, int rc,
    int err, char *why, size_t len)
{
	const char *stage = connected ? "TLS error" : "TLS handshake failed";

	if (note->name_failed)
		snprintf(why, len, "%s: the broker's certificate is not for %s (host name "
		    "verification failed)", stage, cfg->host);
	else if (*note->error != '\0')
		snprintf(why, len, "%s: %s", stage, note->error);
	else if (rc == MOSQ_ERR_TLS)
		snprintf(why, len, "%s", stage);
	else if (rc == MOSQ_ERR_ERRNO)
		mqtt_errno_why(cfg, connected, err, why, len);
	else if (rc == MOSQ_ERR_CONN_LOST && cfg->tls_ca_file != NULL && !connected)
		mqtt_errno_why(cfg, connected, ECONNRESET, why, len);
	else if (rc == MOSQ_ERR_CONN_LOST)
		snprintf(why, len, "connection lost");
	else if (rc == MOSQ_ERR_KEEPALIVE)
		/* The library's own string for it is "Unknown error." */
		snprintf(why, len, "%s within the keepalive (%lds)", connected ?
		    "no answer from the broker" : "the broker accepted the connection but did "
		    "not answer", (long)cfg->keepalive);
	else
		snprintf(why, len, "%s", mosquitto_strerror(rc));
	note->error[0] = '\0';
	note->name_failed = 0;
	return why;
}

/* mqtt_failure_why() for m's connection; errno is the call's. */
static const char *
mqtt_why(struct mqtt *m, int rc, char *why, size_t len)
{
	return mqtt_failure_why(&m->tls, m->cfg, m->connected, rc, errno, why, len);
}

/*
 * Tell whether the socket of a connection not yet up has failed, and
 * why. libmosquitto 2.0 takes a TLS connection that was refused or closed
 * during the handshake for a handshake still under way: it would wait,
 * woken again and again by the dead socket, until the keepalive ran out.
 */
static int
mqtt_socket_failed(const struct mqtt *m, char *why, size_t len)
{
	socklen_t optlen = sizeof(int);
	int fd, err = 0;
	ssize_t n;
	char c;

	if (m->connected || (fd = mosquitto_socket(m->mosq)) == -1)
		return 0;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &optlen) == 0 && err != 0) {
		mqtt_errno_why(m->cfg, m->connected, err, why, len);
		return 1;
	}
	if (m->cfg->tls_ca_file == NULL)
		return 0;
	/* The error itself went to the library's first write; the state stays. */
	if ((n = recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT)) > 0 ||
	    (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)))
		return 0;
	if (m->connect_errno != 0)
		mqtt_errno_why(m->cfg, m->connected, m->connect_errno, why, len);
	else if (n == 0)
		snprintf(why, len, "the broker closed the connection before answering (is port "
		    "%ld a TLS listener?)", m->cfg->port);
	else
		mqtt_errno_why(m->cfg, m->connected, errno, why, len);
	return 1;
}

/* Add the write event when the library has bytes to send. */
static void
mqtt_want_write(struct mqtt *m)
{
	if (m->has_socket && mosquitto_want_write(m->mosq))
		event_add(m->ev_write, NULL);
}

/*
 * Say why the library's call lost m's connection with rc; errno is the
 * call's. mosquitto 2.0 says nothing when another client takes our id:
 * it closes, which the library sees as CONN_LOST when it reads, as EPIPE
 * or ECONNRESET when it was writing. Soon after CONNACK, ask if that is it.
 */
static const char *
mqtt_lost_why(struct mqtt *m, int rc, char *why, size_t len)
{
	int err = errno;
	int64_t up = mqtt_now() - m->up_since;

	if (m->connected && up < MQTT_STABLE && (rc == MOSQ_ERR_CONN_LOST ||
	    (rc == MOSQ_ERR_ERRNO && (err == EPIPE || err == ECONNRESET)))) {
		snprintf(why, len, "connection lost %llds after the broker accepted it (does "
		    "another client use client_id %s? give each its own)", (long long)up,
		    m->cfg->client_id);
		return why;
	}
	return mqtt_failure_why(&m->tls, m->cfg, m->connected, rc, err, why, len);
}

/* Run one side of the library's socket work (read or write); a failure loses the connection. */
static void
mqtt_io(struct mqtt *m, int (*step)(struct mosquitto *, int))
{
	char why[256];
	int rc;

	if (mqtt_socket_failed(m, why, sizeof why)) {
		mqtt_lost(m, why);
		return;
	}
	if ((rc = step(m->mosq, 1)) != MOSQ_ERR_SUCCESS) {
		mqtt_lost(m, mqtt_lost_why(m, rc, why, sizeof why));
		return;
	}
	mqtt_want_write(m);
}

/* libevent: the socket is readable. */
static void
mqtt_read_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	mqtt_io(arg, mosquitto_loop_read);
}

/* libevent: the socket is writable. */
static void
mqtt_write_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	mqtt_io(arg, mosquitto_loop_write);
}

/* libevent: a few times per keepalive, the library's keepalive and retries. */
static void
mqtt_misc_cb(evutil_socket_t fd, short what, void *arg)
{
	struct mqtt *m = arg;
	char why[256];
	int rc;

	(void)fd;
	(void)what;
	if (!m->has_socket)
		return;
	if ((rc = mosquitto_loop_misc(m->mosq)) != MOSQ_ERR_SUCCESS) {
		mqtt_lost(m, rc == MOSQ_ERR_NO_CONN ? "keepalive timeout" :
		    mqtt_lost_why(m, rc, why, sizeof why));
		return;
	}
	mqtt_want_write(m);
}

/* Connect to a numeric address. */
static void
mqtt_connect_addr(struct mqtt *m, const char *addr)
{
	char why[256];
	int rc, fd;

	/*
	 * With TLS the library must know the name the user wrote: it checks
	 * the certificate against it and sends it as SNI. It then resolves
	 * that name again itself, blocking; evdns resolved it a moment ago,
	 * so a name that does not resolve, or a resolver that hangs, never
	 * gets this far.
	 */
	if (m->cfg->tls_ca_file != NULL)
		addr = m->cfg->host;
	errno = 0;
	rc = mosquitto_connect_bind_async(m->mosq, addr, (int)m->cfg->port,
	    (int)m->cfg->keepalive, NULL);
	if (rc != MOSQ_ERR_SUCCESS) {
		mqtt_lost(m, mqtt_why(m, rc, why, sizeof why));
		return;
	}
	/* A TLS handshake's first write may already have met the refusal. */
	m->connect_errno = errno == ECONNREFUSED || errno == ECONNRESET ||
	    errno == ENETUNREACH || errno == EHOSTUNREACH || errno == ETIMEDOUT ? errno : 0;
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

	/*
	 * Only a connection that lasted starts the backoff afresh: one taken
	 * away at once (another client with our id, a broker that drops us)
	 * is retried ever later, not every second.
	 */
	if (m->connected && mqtt_now() - m->up_since >= MQTT_STABLE)
		m->backoff = MQTT_BACKOFF_MIN;
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
		log_warnx("mqtt: %s:%ld: %s; retrying in %us", m->cfg->host, m->cfg->port, m->error,
		    delay);
	evtimer_add(m->ev_retry, &tv);
	m->cb(m->arg, MQTT_EV_DISCONNECTED, 0);
}

/* Say why the broker refused us with CONNACK code rc, and what to look at. */
void
mqtt_refusal_why(const struct config *cfg, int rc, char *why, size_t len)
{
	const char *hint = "";
	int auth;

	if (cfg->protocol == 5)
		auth = rc == MQTT_RC_BAD_USERNAME_OR_PASSWORD || rc == MQTT_RC_NOT_AUTHORIZED;
	else
		auth = rc == CONNACK_REFUSED_BAD_USERNAME_PASSWORD ||
		    rc == CONNACK_REFUSED_NOT_AUTHORIZED;
	if (auth)
		hint = cfg->username == NULL ? " (check username and password_file: none is "
		    "set)" : " (check username and password_file)";
	snprintf(why, len, "broker refused the connection: %s%s", cfg->protocol == 5 ?
	    mosquitto_reason_string(rc) : mosquitto_connack_string(rc), hint);
}

/* libmosquitto: the broker answered our CONNECT. */
static void
mqtt_connect_cb(struct mosquitto *mosq, void *arg, int rc, int flags,
    const mosquitto_property *props)
{
	struct mqtt *m = arg;

	(void)mosq;
	(void)props;
	if (rc != 0) {
		/*
		 * The library closes the connection after a refusal; mqtt_lost()
		 * logs this reason with the retry.
		 */
		mqtt_refusal_why(m->cfg, rc, m->error, sizeof m->error);
		m->error_set = 1;
		return;
	}
	m->connected = 1;
	m->up_since = mqtt_now();
	log_info("mqtt: connected to %s:%ld%s", m->cfg->host, m->cfg->port,
	    m->ever_connected ? " again" : "");
	log_debug("mqtt: %s", (flags & 1) ? "the broker kept our session" : "a new session");
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

/*
 * OpenSSL: the pass phrase of an encrypted client key. A daemon has no
 * terminal to ask on (OpenSSL's default would prompt on it): none given,
 * so loading such a key fails, and says so.
 */
static int
mqtt_tls_pass_cb(char *buf, int size, int rwflag, void *userdata)
{
	(void)rwflag;
	(void)userdata;
	if (size > 0)
		buf[0] = '\0';
	return 0;
}

/* Turn on TLS as cfg's [mqtt] asks: the broker's certificate and name checked. */
static int
mqtt_tls(struct mosquitto *mosq, const struct config *cfg)
{
	char ca[4096], cert[4096], key[4096];
	int rc;

	if (config_file_path(cfg->tls_ca_file, ca, sizeof ca) == -1 ||
	    (cfg->tls_cert_file != NULL &&
	    (config_file_path(cfg->tls_cert_file, cert, sizeof cert) == -1 ||
	    config_file_path(cfg->tls_key_file, key, sizeof key) == -1))) {
		log_warnx("mqtt: a TLS file's path cannot be resolved");
		return -1;
	}
	rc = mosquitto_tls_set(mosq, ca, NULL, cfg->tls_cert_file != NULL ? cert : NULL,
	    cfg->tls_cert_file != NULL ? key : NULL, mqtt_tls_pass_cb);
	if (rc != MOSQ_ERR_SUCCESS) {
		log_warnx("mqtt: cannot use %s%s%s%s: %s", ca, cfg->tls_cert_file != NULL ? ", " : "",
		    cfg->tls_cert_file != NULL ? cert : "", cfg->tls_cert_file != NULL ? " and its key" :
		    "", mosquitto_strerror(rc));
		return -1;
	}
	/* SSL_VERIFY_PEER, the library's TLS versions and ciphers. */
	if ((rc = mosquitto_tls_opts_set(mosq, 1, NULL, NULL)) != MOSQ_ERR_SUCCESS ||
	    (rc = mosquitto_tls_insecure_set(mosq, false)) != MOSQ_ERR_SUCCESS) {
		log_warnx("mqtt: cannot set TLS options: %s", mosquitto_strerror(rc));
		return -1;
	}
	return 0;
}

/* Set TLS and the login cfg's [mqtt] asks for on mosq. */
int
mqtt_client_setup(struct mosquitto *mosq, const struct config *cfg, const char *password)
{
	int rc;

	if (cfg->tls_ca_file != NULL && mqtt_tls(mosq, cfg) == -1)
		return -1;
	if (cfg->username == NULL)
		return 0;
	/* The library keeps its own copy for every reconnect. */
	if ((rc = mosquitto_username_pw_set(mosq, cfg->username, password)) != MOSQ_ERR_SUCCESS) {
		log_warnx("mqtt: cannot set the user name: %s", mosquitto_strerror(rc));
		return -1;
	}
	return 0;
}

/*
 * Set what every CONNECT carries beyond the defaults: TLS, the user name
 * and password, and under MQTT 5 the session expiry interval.
 */
static int
mqtt_connect_opts(struct mqtt *m)
{
	const struct config *cfg = m->cfg;
	mosquitto_property *props = NULL;
	char pw[CONFIG_PASSWORD_MAX];
	struct buf errors;
	int rc;

	if (cfg->password_file != NULL) {
		buf_init(&errors, 0);
		if (config_password(cfg, pw, sizeof pw, &errors) == -1) {
			log_warnx("%.*s", (int)(errors.len > 0 ? errors.len - 1 : 0),
			    buf_str(&errors));
			buf_free(&errors);
			return -1;
		}
		buf_free(&errors);
	}
	rc = mqtt_client_setup(m->mosq, cfg, cfg->password_file != NULL ? pw : NULL);
	/* libmosquitto has its copy; ours goes now. */
	explicit_bzero(pw, sizeof pw);
	if (rc == -1)
		return -1;
	if (cfg->protocol != 5)
		return 0;
	/*
	 * Without it a v5 session ends with the connection, clean start or
	 * not. libmosquitto 2.0 takes CONNECT properties only through
	 * mosquitto_connect_bind_v5(), which connects blocking; given port -1
	 * it keeps the properties and fails before any connecting
	 * (MOSQ_ERR_INVAL), and every asynchronous connect after sends them.
	 * tests/integration/test_tls.py checks the broker kept the session.
	 */
	if (mosquitto_property_add_int32(&props, MQTT_PROP_SESSION_EXPIRY_INTERVAL,
	    (uint32_t)cfg->session_expiry) != MOSQ_ERR_SUCCESS)
		return -1;
	rc = mosquitto_connect_bind_v5(m->mosq, cfg->host, -1, (int)cfg->keepalive, NULL, props);
	mosquitto_property_free_all(&props);
	if (rc != MOSQ_ERR_INVAL) {
		log_warnx("mqtt: cannot set the session expiry: %s", mosquitto_strerror(rc));
		return -1;
	}
	return 0;
}

/*
 * Set the last will: will_payload, retained, QoS 1, on will_topic. Under
 * MQTT 5 it is application/json, and the broker holds it back
 * MQTT_WILL_DELAY seconds: a daemon that
 * comes back sooner (a restart, a broker that saw the old connection after
 * the new one) takes its session back and the will never goes out, so
 * displays do not see the status flap. Returns 0 or -1.
 */
static int
mqtt_set_will(struct mqtt *m, const char *will_topic, const char *will_payload)
{
	mosquitto_property *pl = NULL;
	int rc;

	if (m->cfg->protocol == 5 && (mosquitto_property_add_int32(&pl,
	    MQTT_PROP_WILL_DELAY_INTERVAL, MQTT_WILL_DELAY) != MOSQ_ERR_SUCCESS ||
	    mosquitto_property_add_string(&pl, MQTT_PROP_CONTENT_TYPE,
	    "application/json") != MOSQ_ERR_SUCCESS)) {
		mosquitto_property_free_all(&pl);
		return -1;
	}
	rc = mosquitto_will_set_v5(m->mosq, will_topic, (int)strlen(will_payload), will_payload,
	    1, true, pl);
	/* On success the library owns the properties (its manual says so). */
	if (rc != MOSQ_ERR_SUCCESS) {
		mosquitto_property_free_all(&pl);
		return -1;
	}
	return 0;
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
	/* clean_session false: the broker keeps our session between connections. */
	if ((m->mosq = mosquitto_new(cfg->client_id, false, m)) == NULL) {
		log_warn("mqtt: mosquitto_new");
		free(m);
		return NULL;
	}
	mosquitto_int_option(m->mosq, MOSQ_OPT_PROTOCOL_VERSION,
	    cfg->protocol == 5 ? MQTT_PROTOCOL_V5 : MQTT_PROTOCOL_V311);
	mosquitto_log_callback_set(m->mosq, mqtt_log_cb);
	mosquitto_connect_v5_callback_set(m->mosq, mqtt_connect_cb);
	mosquitto_publish_v5_callback_set(m->mosq, mqtt_publish_cb);
	if (will_topic != NULL && mqtt_set_will(m, will_topic, will_payload) == -1)
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
	if (mqtt_connect_opts(m) == -1) {
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
	 * A QoS 1 message that got its id is in the library's queue, whatever
	 * the send said: NO_CONN (not connected), and also ERRNO or CONN_LOST
	 * (the broker went away before we noticed). The library sends it again
	 * after reconnecting; handing it over again ourselves would duplicate
	 * it. Only NOMEM comes after the id with nothing queued.
	 */
	if (rc == MOSQ_ERR_SUCCESS || (qos > 0 && id != 0 && rc != MOSQ_ERR_NOMEM)) {
		if (rc != MOSQ_ERR_SUCCESS && rc != MOSQ_ERR_NO_CONN)
			log_debug("mqtt: message %d to %s kept for the next connection: %s", id,
			    topic, mosquitto_strerror(rc));
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
		/* Before the library closes the socket, which the write may do. */
		event_del(m->ev_read);
		event_del(m->ev_write);
		mosquitto_disconnect(m->mosq);
		/* Push the DISCONNECT out now; the loop may end before the next event. */
		mosquitto_loop_write(m->mosq, 1);
		m->has_socket = 0;
	}
	m->connected = 0;
}

/* Read the config at its new place. */
void
mqtt_set_config(struct mqtt *m, const struct config *cfg)
{
	m->cfg = cfg;
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
