// SPDX-License-Identifier: GPL-2.0-only
/*
 * stats.c - pvsplit stats: every pvsplit device's counters in this domain,
 * once, as text, JSON, or Prometheus' text exposition format (input for
 * node_exporter's textfile collector).  Metric names and labels are
 * listed in Documentation/cli.rst and stay as they are.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static const char stats_usage[] =
"usage: pvsplit stats [--json | --prometheus]\n"
"Every pvsplit device of this domain (back ends in dom0, front ends in a\n"
"guest), per device and per ring: the counters since each device appeared,\n"
"once.  Text by default; --json; --prometheus for node_exporter's textfile\n"
"collector.  Per-ring figures need debugfs (root, /sys/kernel/debug).\n";

static const char *end_name(const struct pvs_sdev *d)
{
	return d->drv->back ? "back" : "front";
}

/* The domain label: the guest's id, "unknown" when not known. */
static void domain_label(char *buf, size_t n, const struct pvs_sdev *d)
{
	if (d->domid < 0)
		snprintf(buf, n, "unknown");
	else
		snprintf(buf, n, "%d", d->domid);
}

/* ---- JSON ---- */

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void json_lat(FILE *f, const struct pvhist *h)
{
	fprintf(f, "{\"count\": %" PRIu64 ", \"sum_ns\": %" PRIu64
		", \"p50_ns\": %" PRIu64 ", \"p90_ns\": %" PRIu64
		", \"p99_ns\": %" PRIu64 "}", h->count, h->sum,
		pvhist_percentile(h, 500), pvhist_percentile(h, 900),
		pvhist_percentile(h, 990));
}

static void json_ring(FILE *f, const struct pvs_ring *r)
{
	fprintf(f, "{\"ring\": %u, \"requests\": %" PRIu64 ", \"slots\": %"
		PRIu64 ", ", r->index, r->reqs, r->reqs_slots);
	if (r->has_bytes)
		fprintf(f, "\"bytes\": %" PRIu64 ", ", r->bytes);
	fprintf(f, "\"batches\": %" PRIu64 ", \"notify_sent\": %" PRIu64
		", \"notify_received\": %" PRIu64 ", \"protocol_errors\": %"
		PRIu64 ", \"errors\": %" PRIu64 ", \"broken\": %s",
		r->batches, r->notify_sent, r->wakeups, r->proto_errors,
		r->errors, r->broken ? "true" : "false");
	if (r->has_lat) {
		fputs(", \"latency\": ", f);
		json_lat(f, &r->lat);
	}
	fputc('}', f);
}

/**
 * pvs_stats_json() - a sample as one JSON object
 * @f: output
 * @s: the sample
 * @unix_time: when it was taken (seconds since the epoch)
 *
 * {"version": 1, "time": T, "devices": [{..., "rings": [{...}]}]}; a
 * figure a device does not have (bytes, latency) is left out.
 */
void pvs_stats_json(FILE *f, const struct pvs_sample *s, long long unix_time)
{
	unsigned int i, j;

	fprintf(f, "{\"version\": 1, \"time\": %lld, \"devices\": [", unix_time);
	for (i = 0; i < s->nr_devs; i++) {
		const struct pvs_sdev *d = &s->devs[i];

		fputs(i ? ",\n  {" : "\n  {", f);
		fputs("\"end\": ", f);
		json_str(f, end_name(d));
		fputs(", \"driver\": ", f);
		json_str(f, d->drv->driver);
		fputs(", \"type\": ", f);
		json_str(f, d->drv->type);
		fputs(", \"device\": ", f);
		json_str(f, d->name);
		if (d->domid >= 0)
			fprintf(f, ", \"domain\": %d", d->domid);
		else
			fputs(", \"domain\": null", f);
		fprintf(f, ", \"devid\": %u, \"state\": ", d->devid);
		json_str(f, d->state);
		if (d->detail[0]) {
			fputs(", \"detail\": ", f);
			json_str(f, d->detail);
		}
		if (d->netdev[0]) {
			fputs(", \"netdev\": ", f);
			json_str(f, d->netdev);
		}
		fprintf(f, ", \"requests\": %" PRIu64, d->reqs);
		if (d->has_bytes)
			fprintf(f, ", \"bytes\": %" PRIu64, d->bytes);
		fprintf(f, ", \"errors\": %" PRIu64 ", \"batches\": %" PRIu64
			", \"notify_sent\": %" PRIu64 ", \"notify_received\": %"
			PRIu64 ", \"broken\": %s", d->errors, d->batches,
			d->notify_sent, d->wakeups, d->broken ? "true" : "false");
		if (d->has_lat) {
			fputs(", \"latency\": ", f);
			json_lat(f, &d->lat);
		}
		fputs(", \"rings\": [", f);
		for (j = 0; j < d->nr_rings; j++) {
			if (j)
				fputs(", ", f);
			json_ring(f, &d->rings[j]);
		}
		fputs("]}", f);
	}
	fputs(s->nr_devs ? "\n]}\n" : "]}\n", f);
}

/* ---- Prometheus text exposition format ---- */

/* A label value: backslash, double quote and newline escaped. */
void pvs_label_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fprintf(f, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

static void prom_labels(FILE *f, const struct pvs_sdev *d, int ring,
			const char *extra)
{
	char dom[16];

	domain_label(dom, sizeof(dom), d);
	fprintf(f, "{domain=\"%s\",device=\"", dom);
	pvs_label_escape(f, d->name);
	fprintf(f, "\",end=\"%s\",driver=\"%s\"", end_name(d), d->drv->driver);
	if (ring >= 0)
		fprintf(f, ",ring=\"%d\"", ring);
	if (extra)
		fprintf(f, ",%s", extra);
	fputc('}', f);
}

/* A device family: its value for @d; false when @d has none. */
struct dev_metric {
	const char *name, *type, *help;
	bool (*get)(const struct pvs_sdev *d, uint64_t *v);
};

static bool dev_up(const struct pvs_sdev *d, uint64_t *v)
{
	*v = !strcmp(d->state, "connected") && !d->broken;
	return true;
}

static bool dev_reqs(const struct pvs_sdev *d, uint64_t *v)
{
	*v = d->reqs;
	return d->has_reqs;
}

static bool dev_bytes(const struct pvs_sdev *d, uint64_t *v)
{
	*v = d->bytes;
	return d->has_bytes;
}

static bool dev_errors(const struct pvs_sdev *d, uint64_t *v)
{
	*v = d->errors;
	return true;
}

static bool dev_rings(const struct pvs_sdev *d, uint64_t *v)
{
	*v = d->nr_rings;
	return true;
}

static const struct dev_metric dev_metrics[] = {
	{ "pvsplit_device_up", "gauge",
	  "1 when the device's xenbus state is Connected and no ring is broken",
	  dev_up },
	{ "pvsplit_device_requests_total", "counter",
	  "Requests handled (a vif: packets both ways) since the device appeared",
	  dev_reqs },
	{ "pvsplit_device_bytes_total", "counter",
	  "Payload bytes moved since the device appeared", dev_bytes },
	{ "pvsplit_device_errors_total", "counter",
	  "Failed or refused requests and peer protocol errors", dev_errors },
	{ "pvsplit_device_rings", "gauge",
	  "Rings (a vif: queues) the device runs now", dev_rings },
};

struct ring_metric {
	const char *name, *type, *help;
	size_t off;		/* of a uint64_t in struct pvs_ring */
	size_t has;		/* of the bool saying it is known, or 0 */
};

#define RM(n, t, h, field, hasf)					\
	{ n, t, h, offsetof(struct pvs_ring, field), hasf }

static const struct ring_metric ring_metrics[] = {
	RM("pvsplit_ring_requests_total", "counter",
	   "Requests handled on this ring (a vif queue: packets both ways)",
	   reqs, 0),
	RM("pvsplit_ring_slots_total", "counter",
	   "Ring slots this end consumed", reqs_slots, 0),
	RM("pvsplit_ring_bytes_total", "counter",
	   "Payload bytes moved on this ring", bytes,
	   offsetof(struct pvs_ring, has_bytes)),
	RM("pvsplit_ring_batches_total", "counter",
	   "Passes that consumed at least one slot (slots/batches: mean batch)",
	   batches, 0),
	RM("pvsplit_ring_notifications_sent_total", "counter",
	   "Event channel notifications sent to the peer", notify_sent, 0),
	RM("pvsplit_ring_notifications_received_total", "counter",
	   "Event channel notifications received from the peer", wakeups, 0),
	RM("pvsplit_ring_protocol_errors_total", "counter",
	   "Peer protocol violations seen on this ring", proto_errors, 0),
	RM("pvsplit_ring_errors_total", "counter",
	   "Protocol errors and failed or refused requests on this ring",
	   errors, 0),
};

static void prom_head(FILE *f, const char *name, const char *type,
		      const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/**
 * pvs_stats_prometheus() - a sample in Prometheus' text format
 * @f: output
 * @s: the sample
 *
 * Every family gets HELP and TYPE lines and all its samples together;
 * labels domain (the guest), device (<type>-<devid>), end, driver, and
 * ring for the per-ring families.  Latency is a summary in seconds over
 * the device's life (quantiles 0.5, 0.9, 0.99).
 */
void pvs_stats_prometheus(FILE *f, const struct pvs_sample *s)
{
	static const unsigned int q[] = { 500, 900, 990 };
	unsigned int i, j, k, m;
	uint64_t v;

	prom_head(f, "pvsplit_device_info", "gauge",
		  "Always 1; the labels say the device's xenbus state and type");
	for (i = 0; i < s->nr_devs; i++) {
		const struct pvs_sdev *d = &s->devs[i];
		char extra[160];

		snprintf(extra, sizeof(extra), "type=\"%s\",state=\"%s\"",
			 d->drv->type, d->state);
		fputs("pvsplit_device_info", f);
		prom_labels(f, d, -1, extra);
		fputs(" 1\n", f);
	}
	for (m = 0; m < ARRAY_SIZE(dev_metrics); m++) {
		prom_head(f, dev_metrics[m].name, dev_metrics[m].type,
			  dev_metrics[m].help);
		for (i = 0; i < s->nr_devs; i++) {
			if (!dev_metrics[m].get(&s->devs[i], &v))
				continue;
			fputs(dev_metrics[m].name, f);
			prom_labels(f, &s->devs[i], -1, NULL);
			fprintf(f, " %" PRIu64 "\n", v);
		}
	}
	for (m = 0; m < ARRAY_SIZE(ring_metrics); m++) {
		const struct ring_metric *rm = &ring_metrics[m];

		prom_head(f, rm->name, rm->type, rm->help);
		for (i = 0; i < s->nr_devs; i++)
			for (j = 0; j < s->devs[i].nr_rings; j++) {
				const struct pvs_ring *r = &s->devs[i].rings[j];
				const char *base = (const char *)r;

				if (rm->has && !*(const bool *)(base + rm->has))
					continue;
				fputs(rm->name, f);
				prom_labels(f, &s->devs[i], (int)r->index, NULL);
				fprintf(f, " %" PRIu64 "\n",
					*(const uint64_t *)(base + rm->off));
			}
	}
	prom_head(f, "pvsplit_ring_broken", "gauge",
		  "1 when the ring stopped on a protocol error");
	for (i = 0; i < s->nr_devs; i++)
		for (j = 0; j < s->devs[i].nr_rings; j++) {
			fputs("pvsplit_ring_broken", f);
			prom_labels(f, &s->devs[i], (int)s->devs[i].rings[j].index,
				    NULL);
			fprintf(f, " %d\n", s->devs[i].rings[j].broken);
		}
	prom_head(f, "pvsplit_ring_latency_seconds", "summary",
		  "Request latency on this ring since it started");
	for (i = 0; i < s->nr_devs; i++)
		for (j = 0; j < s->devs[i].nr_rings; j++) {
			const struct pvs_ring *r = &s->devs[i].rings[j];

			if (!r->has_lat)
				continue;
			for (k = 0; k < ARRAY_SIZE(q); k++) {
				char extra[32];

				snprintf(extra, sizeof(extra), "quantile=\"%g\"",
					 q[k] / 1000.0);
				fputs("pvsplit_ring_latency_seconds", f);
				prom_labels(f, &s->devs[i], (int)r->index, extra);
				fprintf(f, " %.9f\n",
					pvhist_percentile(&r->lat, q[k]) / 1e9);
			}
			fputs("pvsplit_ring_latency_seconds_sum", f);
			prom_labels(f, &s->devs[i], (int)r->index, NULL);
			fprintf(f, " %.9f\n", r->lat.sum / 1e9);
			fputs("pvsplit_ring_latency_seconds_count", f);
			prom_labels(f, &s->devs[i], (int)r->index, NULL);
			fprintf(f, " %" PRIu64 "\n", r->lat.count);
		}
}

/* ---- plain text ---- */

static void text_counters(FILE *f, uint64_t reqs, bool has_bytes,
			  uint64_t bytes, uint64_t batches, uint64_t sent,
			  uint64_t got, uint64_t errors, bool has_lat,
			  const struct pvhist *lat)
{
	fprintf(f, " requests %" PRIu64, reqs);
	if (has_bytes)
		fprintf(f, " bytes %" PRIu64, bytes);
	fprintf(f, " batches %" PRIu64 " notify_sent %" PRIu64
		" notify_received %" PRIu64 " errors %" PRIu64, batches, sent,
		got, errors);
	if (has_lat)
		fprintf(f, " lat_count %" PRIu64 " p50_ns %" PRIu64
			" p99_ns %" PRIu64, lat->count,
			pvhist_percentile(lat, 500), pvhist_percentile(lat, 990));
	fputc('\n', f);
}

static void stats_text(FILE *f, const struct pvs_sample *s)
{
	unsigned int i, j;
	char dom[16];

	for (i = 0; i < s->nr_devs; i++) {
		const struct pvs_sdev *d = &s->devs[i];

		domain_label(dom, sizeof(dom), d);
		fprintf(f, "%s %s domain %s %s state %s", end_name(d),
			d->drv->driver, dom, d->name, d->state);
		text_counters(f, d->reqs, d->has_bytes, d->bytes, d->batches,
			      d->notify_sent, d->wakeups, d->errors, d->has_lat,
			      &d->lat);
		for (j = 0; j < d->nr_rings; j++) {
			const struct pvs_ring *r = &d->rings[j];

			fprintf(f, "  ring %u%s", r->index,
				r->broken ? " broken" : "");
			text_counters(f, r->reqs, r->has_bytes, r->bytes,
				      r->batches, r->notify_sent, r->wakeups,
				      r->errors, r->has_lat, &r->lat);
		}
	}
}

/* PVSPLIT_ROOT: a fake sysfs tree instead of the system's (tests only). */
const char *pvs_root(void)
{
	const char *r = getenv("PVSPLIT_ROOT");

	return r ? r : "";
}

int pvs_cmd_stats(int argc, char **argv)
{
	struct pvs_opt opts[] = {
		PVS_OPT("help", false), PVS_OPT("json", false),
		PVS_OPT("prometheus", false),
	};
	struct pvs_collect c;
	struct pvs_sample s;
	const char *pos[1];
	unsigned int npos;
	bool json, prom;
	int ret;

	ret = pvs_cmd_args(argc, argv, opts, ARRAY_SIZE(opts), pos, 0, 0,
			   &npos, stats_usage);
	if (ret >= 0)
		return ret;
	json = pvs_opt(opts, ARRAY_SIZE(opts), "json");
	prom = pvs_opt(opts, ARRAY_SIZE(opts), "prometheus");
	if (json && prom) {
		pvs_err("stats: --json or --prometheus, not both");
		return PVS_EXIT_USAGE;
	}
	pvs_collect_init(&c, pvs_root(), pvs_self_domid());
	ret = pvs_collect(&c, &s, pvs_now_ns());
	if (ret) {
		pvs_err("stats: reading sysfs: %s", strerror(-ret));
		return PVS_EXIT_FAIL;
	}
	if (json)
		pvs_stats_json(stdout, &s, (long long)time(NULL));
	else if (prom)
		pvs_stats_prometheus(stdout, &s);
	else
		stats_text(stdout, &s);
	pvs_sample_free(&s);
	return fflush(stdout) ? PVS_EXIT_FAIL : 0;
}
