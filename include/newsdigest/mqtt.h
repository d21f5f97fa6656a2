/*
 * mqtt — a libmosquitto client driven from our libevent loop.
 *
 * Uses mosquitto's "network loop for use in other event loops":
 * mosquitto_socket(), _loop_read(), _loop_write(), _loop_misc() and
 * _want_write(); never mosquitto_loop_start(). The broker's host name is
 * resolved with evdns, so no call blocks the loop. A lost connection is
 * retried with exponential backoff and jitter.
 *
 * QoS 1 messages handed to mqtt_publish() belong to libmosquitto from
 * then on: it sends them, and sends them again after a reconnect, until
 * the broker acknowledges them (mqtt_event MQTT_EV_PUBACK). Publishing
 * them again ourselves would duplicate them.
 *
 * The session is persistent: cfg's client_id, clean start off and, under
 * MQTT 5, cfg's session_expiry on every CONNECT. With tls_ca_file the
 * connection is TLS, the broker's certificate checked against that CA and
 * against cfg's host; username and the password from password_file log
 * in. Every failed attempt is logged once, with the reason in a user's
 * words ("TLS handshake failed: certificate verify failed", "broker
 * refused the connection: Not authorized (...)"), and retried.
 */
#ifndef NEWSDIGEST_MQTT_H
#define NEWSDIGEST_MQTT_H

#include <stddef.h>
#include <stdint.h>

struct event_base;
struct config;
struct mosquitto;
struct mqtt;

enum mqtt_event {
	MQTT_EV_CONNECTED,	/* session up; mid unused */
	MQTT_EV_DISCONNECTED,	/* lost, refused or unreachable (each failed attempt);
				 * retrying; mqtt_error() says why */
	MQTT_EV_PUBACK,		/* the broker took message mid */
};

typedef void (*mqtt_event_cb)(void *arg, enum mqtt_event ev, int mid);

/* Properties of one message (MQTT 5 only; ignored under 3.1.1). */
struct mqtt_msg_props {
	const char *content_type;	/* or NULL */
	const char *content_encoding;	/* user property "content-encoding", or NULL */
	uint32_t expiry;		/* message expiry interval in seconds, 0 = none */
};

/*
 * Create a client for cfg's [mqtt] section (cfg is borrowed and must
 * outlive the client). will_topic/will_payload set the last will
 * (retained, QoS 1). Reads the password now (config_password()) and keeps
 * no copy of it beyond libmosquitto's. Returns NULL (logged) on failure,
 * among them TLS files or a password file that cannot be used.
 */
struct mqtt *mqtt_new(struct event_base *base, const struct config *cfg, const char *will_topic,
    const char *will_payload, mqtt_event_cb cb, void *arg);
/*
 * The config the client reads moved to cfg, with the same [mqtt] values
 * (a reload built the client from the new config before it took the
 * running one's place).
 */
void mqtt_set_config(struct mqtt *m, const struct config *cfg);
/* Start connecting; failures are retried, never fatal. */
void mqtt_start(struct mqtt *m);
/* Return 1 while the session is up. */
int mqtt_connected(const struct mqtt *m);
/*
 * Hand a message to libmosquitto. Stores its message id in *mid when mid
 * is not NULL. Returns 0 when the library took it (sent, or queued while
 * disconnected), -1 when it refused it (logged).
 */
int mqtt_publish(struct mqtt *m, const char *topic, const void *payload, size_t len, int qos,
    int retain, const struct mqtt_msg_props *props, int *mid);
/* Return why the last connection attempt failed or was lost ("" before any); borrowed. */
const char *mqtt_error(const struct mqtt *m);
/* Return the number of reconnections so far. */
unsigned long mqtt_reconnects(const struct mqtt *m);
/* Disconnect cleanly (what is queued is given up) and free; NULL does nothing. */
void mqtt_free(struct mqtt *m);
/* Start a clean disconnect after sending what is queued to the socket. */
void mqtt_disconnect(struct mqtt *m);

/*
 * What newsdigestd's client and newsdigest cat's share: set up a
 * libmosquitto client for cfg's broker, and say why it failed in a user's
 * words.
 */

/* What libmosquitto's log said of the last TLS failure; zero it to start. */
struct mqtt_tls_note {
	char error[128];	/* OpenSSL's reason ("certificate verify failed"), or "" */
	int name_failed;	/* the host name check failed */
};

/*
 * Set on mosq what cfg's [mqtt] asks of every connection: with tls_ca_file,
 * TLS with the broker's certificate checked against that CA and against
 * cfg's host, and the client certificate and key when set; with username,
 * that user name and password (borrowed; libmosquitto keeps a copy, the
 * caller wipes its own; NULL for none). Returns 0, or -1 logged.
 */
int mqtt_client_setup(struct mosquitto *mosq, const struct config *cfg, const char *password);
/*
 * Route one line of libmosquitto's log (its log callback's level and str)
 * to ours: errors and warnings as such, the rest to debug. Its TLS errors
 * go to debug and are kept in note for mqtt_tls_why().
 */
void mqtt_lib_log(struct mqtt_tls_note *note, int level, const char *str);
/*
 * Write why a connection to cfg's broker failed with libmosquitto's rc
 * (err: the errno of a MOSQ_ERR_ERRNO) to why, and return why. What the
 * TLS layer said when note holds it ("TLS handshake failed: certificate
 * verify failed", "...: the broker's certificate is not for HOST (host
 * name verification failed)"; note is cleared), else the library's
 * reason with a hint. connected: whether the session was up (a handshake
 * failure or a later TLS error).
 */
const char *mqtt_failure_why(struct mqtt_tls_note *note, const struct config *cfg, int connected,
    int rc, int err, char *why, size_t len);
/*
 * Write why the broker refused a CONNECT with CONNACK code rc (a reason
 * code under cfg's protocol 5) to why: "broker refused the connection:
 * Not authorized (check username and password_file)".
 */
void mqtt_refusal_why(const struct config *cfg, int rc, char *why, size_t len);

#endif
