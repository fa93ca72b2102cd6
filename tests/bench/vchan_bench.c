// SPDX-License-Identifier: GPL-2.0-only
/*
 * vchan_bench - request/response over libxenvchan, the peer pvbench is
 * measured against in make bench-xring.
 *
 *   vchan_bench request --peer DOMID --path XSPATH [--req B] [--rsp B]
 *                       [--qd N] [--duration MS] [--json]
 *   vchan_bench echo --peer DOMID --path XSPATH [--req B] [--rsp B]
 *
 * "request" runs in the guest, as pvbench's front end does: it is the
 * vchan server (it grants the ring pages and writes ring-ref and
 * event-channel under XSPATH, which it owns), keeps --qd requests of --req
 * bytes in flight for --duration ms, and counts the responses of --rsp
 * bytes.  "echo" runs in dom0: the vchan client, it answers every request
 * with --rsp bytes (a 64-byte header and, past it, a filled payload, as a
 * pvbench READ moves data from dom0 into the guest).
 *
 * Both ends are non-blocking and sleep in libxenvchan_wait() only when
 * they can neither read nor write, so the library's own notification
 * scheme decides the wake-ups, as it does for its users.  A request with
 * id ~0 tells the echo end to stop.
 *
 * Prints one line, JSON with --json: requests, seconds, req_per_s.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libxenvchan.h>

#define HDR		64u		/* request and response header */
#define MAX_MSG		(HDR + 65536u)
#define STOP_ID		UINT64_MAX

struct msg_hdr {
	uint64_t id;
	uint32_t len;			/* bytes of the whole message */
	uint8_t pad[HDR - 12];
};

struct opts {
	int peer;
	const char *path;
	unsigned int req, rsp, qd, duration_ms;
	bool json;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Wait for progress; returns false when the peer closed or on error. */
static bool wait_peer(struct libxenvchan *v)
{
	if (libxenvchan_wait(v) < 0)
		return false;
	return libxenvchan_is_open(v) != 0;
}

static int do_request(const struct opts *o)
{
	static uint8_t rbuf[MAX_MSG], sbuf[MAX_MSG];
	struct msg_hdr *sh = (struct msg_hdr *)sbuf;
	const struct msg_hdr *rh = (const struct msg_hdr *)rbuf;
	struct libxenvchan *v;
	uint64_t sent = 0, done = 0, bad = 0;
	double t0, t, end;
	bool stopping = false;

	/* ring sizes: the whole depth of each direction fits at once */
	v = libxenvchan_server_init(NULL, o->peer, o->path,
				    (size_t)o->rsp * o->qd, (size_t)o->req * o->qd);
	if (!v) {
		perror("libxenvchan_server_init");
		return 1;
	}
	v->blocking = 0;
	/* wait (at most 60 s) for the echo end to connect */
	end = now() + 60;
	while (libxenvchan_is_open(v) == 2) {
		if (now() > end) {
			fprintf(stderr, "vchan_bench: no client connected\n");
			libxenvchan_close(v);
			return 1;
		}
		usleep(10000);
	}
	memset(sbuf, 0, sizeof(sbuf));
	sh->len = o->req;
	t0 = now();
	end = t0 + o->duration_ms / 1e3;
	for (;;) {
		bool progress = false;
		int r;

		while (!stopping && sent - done < o->qd) {
			sh->id = sent;
			r = libxenvchan_send(v, sbuf, o->req);
			if (r < 0)
				goto broken;
			if (!r)
				break;
			sent++;
			progress = true;
		}
		while (done < sent) {
			r = libxenvchan_recv(v, rbuf, o->rsp);
			if (r < 0)
				goto broken;
			if (!r)
				break;
			if (rh->id != done || rh->len != o->rsp)
				bad++;
			done++;
			progress = true;
		}
		if (!stopping && now() >= end)
			stopping = true;
		if (stopping && done == sent)
			break;
		if (!progress && !wait_peer(v))
			goto broken;
	}
	t = now() - t0;
	sh->id = STOP_ID;
	v->blocking = 1;
	libxenvchan_send(v, sbuf, o->req);
	/* let the echo end read the stop before the pages go */
	usleep(200000);
	libxenvchan_close(v);
	if (o->json)
		printf("{\"tool\": \"vchan\", \"req\": %u, \"rsp\": %u, \"qd\": %u, \"requests\": %llu, \"errors\": %llu, \"seconds\": %.3f, \"req_per_s\": %.1f}\n",
		       o->req, o->rsp, o->qd, (unsigned long long)done,
		       (unsigned long long)bad, t, done / t);
	else
		printf("vchan: %u B req, %u B rsp, qd %u: %llu requests in %.3f s, %.0f req/s, %llu bad\n",
		       o->req, o->rsp, o->qd, (unsigned long long)done, t,
		       done / t, (unsigned long long)bad);
	return bad ? 1 : 0;
broken:
	fprintf(stderr, "vchan_bench: vchan failed after %llu responses\n",
		(unsigned long long)done);
	libxenvchan_close(v);
	return 1;
}

static int do_echo(const struct opts *o)
{
	static uint8_t rbuf[MAX_MSG], sbuf[MAX_MSG];
	struct msg_hdr *sh = (struct msg_hdr *)sbuf;
	const struct msg_hdr *rh = (const struct msg_hdr *)rbuf;
	struct libxenvchan *v = NULL;
	uint64_t answered = 0;
	bool have = false;
	double end = now() + 60;
	unsigned int i;

	while (!(v = libxenvchan_client_init(NULL, o->peer, o->path))) {
		if (now() > end) {
			perror("libxenvchan_client_init");
			return 1;
		}
		usleep(20000);
	}
	v->blocking = 0;
	for (i = HDR; i < o->rsp; i++)
		sbuf[i] = (uint8_t)(i * 7);
	sh->len = o->rsp;
	for (;;) {
		bool progress = false;
		int r;

		for (;;) {
			if (!have) {
				r = libxenvchan_recv(v, rbuf, o->req);
				if (r < 0)
					goto closed;
				if (!r)
					break;
				if (rh->id == STOP_ID)
					goto closed;
				have = true;
			}
			sh->id = rh->id;
			r = libxenvchan_send(v, sbuf, o->rsp);
			if (r < 0)
				goto closed;
			if (!r)
				break;
			have = false;
			answered++;
			progress = true;
		}
		if (!progress && !wait_peer(v))
			break;
	}
closed:
	libxenvchan_close(v);
	fprintf(stderr, "vchan_bench echo: %llu answered\n",
		(unsigned long long)answered);
	return 0;
}

static void die_usage(void)
{
	fprintf(stderr,
		"usage: %s request|echo --peer DOMID --path XSPATH\n"
		"                   [--req B] [--rsp B] [--qd N] [--duration MS] [--json]\n",
		"vchan_bench");
	exit(2);
}

int main(int argc, char **argv)
{
	struct opts o = { .peer = -1, .req = HDR, .rsp = HDR, .qd = 1,
			  .duration_ms = 3000 };
	int i;

	if (argc < 2)
		die_usage();
	for (i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--json")) {
			o.json = true;
			continue;
		}
		if (!v)
			die_usage();
		i++;
		if (!strcmp(a, "--peer"))
			o.peer = atoi(v);
		else if (!strcmp(a, "--path"))
			o.path = v;
		else if (!strcmp(a, "--req"))
			o.req = strtoul(v, NULL, 0);
		else if (!strcmp(a, "--rsp"))
			o.rsp = strtoul(v, NULL, 0);
		else if (!strcmp(a, "--qd"))
			o.qd = strtoul(v, NULL, 0);
		else if (!strcmp(a, "--duration"))
			o.duration_ms = strtoul(v, NULL, 0);
		else
			die_usage();
	}
	if (o.peer < 0 || !o.path || o.req < HDR || o.rsp < HDR ||
	    o.req > MAX_MSG || o.rsp > MAX_MSG || !o.qd || o.qd > 256)
		die_usage();
	if (!strcmp(argv[1], "request"))
		return do_request(&o);
	if (!strcmp(argv[1], "echo"))
		return do_echo(&o);
	die_usage();
	return 2;
}
